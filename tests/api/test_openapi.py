"""The service's own OpenAPI document describes the multipart forms the routes really parse."""

from __future__ import annotations

import httpx2
import pytest

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        (
            "/v1/audio/transcriptions",
            {
                "file",
                "model",
                "language",
                "prompt",
                "response_format",
                "temperature",
                "timestamp_granularities[]",
            },
        ),
        ("/v1/audio/translations", {"file", "model", "prompt", "response_format", "temperature"}),
    ],
)
async def test_multipart_form_is_documented(http: httpx2.AsyncClient, path: str, fields: set[str]) -> None:
    document = (await http.get("/openapi.json")).json()
    body = document["paths"][path]["post"]["requestBody"]
    schema = body["content"]["multipart/form-data"]["schema"]
    assert body["required"] is True
    assert fields <= set(schema["properties"])
    assert schema["properties"]["file"] == {
        "type": "string",
        "format": "binary",
        "description": "The audio file",
    }
    assert set(schema["required"]) == {"file", "model"}
