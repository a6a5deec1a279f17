"""/v1/models, /health, /ready, and API-key authentication over HTTP."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest

from auricle.synthesis.catalogue import SPEECH_MODELS
from tests.api.test_transcriptions import assert_error, post
from tests.support.openapi import validate

pytestmark = pytest.mark.anyio


async def test_models_list_every_id_and_alias(http: httpx2.AsyncClient) -> None:
    body = (await http.get("/v1/models")).json()
    validate(body, "ListModelsResponse")
    assert [model["id"] for model in body["data"]] == [
        "base",
        "tiny.en",
        "whisper-1",
        "gpt-4o-transcribe-diarize",
        *SPEECH_MODELS,
    ]
    assert all(model["object"] == "model" and model["owned_by"] for model in body["data"])


async def test_model_by_id(http: httpx2.AsyncClient) -> None:
    response = await http.get("/v1/models/whisper-1")
    validate(response.json(), "Model")
    assert response.json()["id"] == "whisper-1"
    assert_error(await http.get("/v1/models/nope"), 404, "invalid_request_error", None, "model_not_found")


async def test_health_and_ready(http: httpx2.AsyncClient) -> None:
    assert (await http.get("/health")).json() == {"status": "ok"}
    ready = await http.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


@pytest.fixture
def keys_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys"
    path.write_text("# team keys\nsk-file-key-0123456789\n\n")
    return path


async def test_keys_protect_v1_but_not_health(make_client: Callable[..., Any], keys_file: Path) -> None:
    async with make_client(api_keys=["sk-env-key-0123456789"], api_keys_file=keys_file) as http:
        missing = await http.get("/v1/models")
        assert_error(missing, 401, "invalid_request_error", None, None)
        assert "didn't provide an API key" in missing.json()["error"]["message"]

        wrong = await http.get("/v1/models", headers={"authorization": "Bearer sk-wrong-key-abcdefgh"})
        assert_error(wrong, 401, "invalid_request_error", None, "invalid_api_key")
        assert "sk-wrong-key-abcdefgh" not in wrong.text
        assert "sk-" + "*" * 14 + "efgh" in wrong.json()["error"]["message"]

        for key in ("sk-env-key-0123456789", "sk-file-key-0123456789"):
            ok = await http.get("/v1/models", headers={"authorization": f"Bearer {key}"})
            assert ok.status_code == 200
        transcribe = await post(http, {"model": "whisper-1"})
        assert transcribe.status_code == 401
        assert (await http.get("/health")).status_code == 200
        assert (await http.get("/ready")).status_code == 200


async def test_open_service_warns_in_its_log(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    async with make_client(host="0.0.0.0") as http:
        assert (await http.get("/v1/models")).status_code == 200
    assert "NO API KEYS CONFIGURED" in caplog.text


async def test_keys_never_reach_the_log(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "sk-auricle-do-not-log-0123456789"
    async with make_client(api_keys=[secret]) as http:
        await http.get("/v1/models", headers={"authorization": f"Bearer {secret}"})
        await http.get("/v1/models", headers={"authorization": f"Bearer {secret}x"})
    assert "API keys required" in caplog.text
    assert secret not in caplog.text
