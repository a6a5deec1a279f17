"""The service's own OpenAPI document describes the multipart forms the routes really parse.

The exact field lists are checked on the committed copy, in test_openapi_document.py.
"""

from __future__ import annotations

import httpx2
import pytest

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("path", ["/v1/audio/transcriptions", "/v1/audio/translations"])
async def test_multipart_form_is_documented(http: httpx2.AsyncClient, path: str) -> None:
    document = (await http.get("/openapi.json")).json()
    body = document["paths"][path]["post"]["requestBody"]
    schema = body["content"]["multipart/form-data"]["schema"]
    assert body["required"] is True
    assert schema["properties"]["file"] == {
        "type": "string",
        "format": "binary",
        "description": "The audio file",
    }
    assert set(schema["required"]) == {"file", "model"}
