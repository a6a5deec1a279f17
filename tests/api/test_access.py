"""The access line each request leaves: its id, route, model, status, audio and time, and nothing private."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from auricle.logs import JsonFormatter
from tests.api.conftest import running
from tests.api.test_disconnect import Client, held_app, multipart_body, run_and_leave, wait_for
from tests.api.test_transcriptions import TRANSCRIBE, post
from tests.fakes import FAKE_TEXT, FakeModel
from tests.support.containers import sine_wav

pytestmark = pytest.mark.anyio


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The access lines logged so far, as AURICLE_LOG_FORMAT=json writes them."""
    formatter = JsonFormatter()
    return [json.loads(formatter.format(entry)) for entry in caplog.records if entry.name == "auricle.access"]


async def test_a_transcription_leaves_one_line_with_its_facts(
    http: httpx2.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="auricle")
    audio = {"file": ("a.wav", sine_wav(2.5), "audio/wav")}
    response = await http.post(TRANSCRIBE, data={"model": "whisper-1"}, files=audio)
    [line] = access_lines(caplog)
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["level"] == "INFO"
    assert (line["method"], line["route"], line["status"]) == ("POST", TRANSCRIBE, 200)
    assert line["model"] == "base"  # whisper-1, resolved
    assert line["audio_seconds"] == pytest.approx(2.5)
    assert line["processing_ms"] >= 0
    assert line["message"].startswith(f"POST {TRANSCRIBE} 200 {response.headers['x-request-id']} model=base")


async def test_a_failed_request_names_no_model_it_made_up(
    http: httpx2.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="auricle")
    response = await post(http, {"model": "not-a-model"})
    [line] = access_lines(caplog)
    assert (line["status"], line["request_id"]) == (404, response.headers["x-request-id"])
    assert "model" not in line
    assert "audio_seconds" not in line


async def test_a_stream_is_logged_once_it_has_ended(
    http: httpx2.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="auricle")
    response = await post(http, {"model": "base", "stream": "true"})
    assert "transcript.text.done" in response.text
    [line] = access_lines(caplog)
    assert (line["status"], line["model"], line["audio_seconds"]) == (200, "base", pytest.approx(1.0))


async def test_a_client_that_left_is_logged_as_499(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="auricle")
    model = FakeModel(gate=threading.Event())
    app = held_app(model)
    async with running(app):
        client = Client([multipart_body()])

        async def once_inference_started() -> None:
            await wait_for(lambda: bool(model.calls))

        await run_and_leave(app, client, once_inference_started)
    [line] = access_lines(caplog)
    assert (line["status"], line["model"], line["audio_seconds"]) == (499, "base", 0)


async def test_probes_are_logged_at_debug_only(
    http: httpx2.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="auricle")
    for path in ("/health", "/ready", "/metrics", "/nowhere"):
        await http.get(path)
    levels = {line["route"]: line["level"] for line in access_lines(caplog)}
    assert levels == {"/health": "DEBUG", "/ready": "DEBUG", "/metrics": "DEBUG", "other": "INFO"}


async def test_no_transcript_prompt_file_name_or_key_in_any_line(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret_key = "sk-never-logged-1234"
    async with make_client(api_keys=[secret_key]) as http:
        fields = {"model": "base", "prompt": "a private prompt", "response_format": "verbose_json"}
        audio = {"file": ("board-minutes.wav", sine_wav(1.0), "audio/wav")}
        headers = {"authorization": f"Bearer {secret_key}"}
        response = await http.post(
            f"{TRANSCRIBE}?key={secret_key}", data=fields, files=audio, headers=headers
        )
        await http.post(TRANSCRIBE, headers={"authorization": "Bearer sk-wrong-and-never-logged"})
    assert response.status_code == 200
    formatter = JsonFormatter()
    logged = "\n".join(
        formatter.format(entry) for entry in caplog.records if entry.name.startswith("auricle")
    )
    assert response.headers["x-request-id"] in logged
    for secret in (FAKE_TEXT.strip(), "a private prompt", "board-minutes", secret_key, "sk-wrong-and-never"):
        assert secret not in logged


async def test_a_control_character_in_the_path_stays_on_its_line(
    http: httpx2.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="auricle")
    await http.get("/nowhere%0Aforged line")
    [line] = access_lines(caplog)
    assert "\n" not in line["message"]
