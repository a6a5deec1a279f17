"""The audio routes' contract over a fake engine: errors in the envelope, headers, form handling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.support.containers import png_image, sine_wav, video_without_audio
from tests.support.openapi import validate

pytestmark = pytest.mark.anyio

TRANSCRIBE = "/v1/audio/transcriptions"
TRANSLATE = "/v1/audio/translations"
SPEECHLIKE = sine_wav(1.0)


def assert_error(
    response: httpx2.Response, status: int, error_type: str, param: str | None, code: str | None
) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    validate(body, "ErrorResponse")
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert (body["error"]["type"], body["error"]["param"], body["error"]["code"]) == (error_type, param, code)
    assert body["error"]["message"]
    assert response.headers["x-request-id"].startswith("req_")
    assert "openai-processing-ms" in response.headers


async def post(
    http: httpx2.AsyncClient, data: dict[str, Any], audio: bytes | None = SPEECHLIKE, path: str = TRANSCRIBE
) -> httpx2.Response:
    files = {"file": ("audio.wav", audio, "audio/wav")} if audio is not None else None
    if files is None:
        # httpx only sends multipart when there is a file; a form without one must still be multipart.
        files = {"other": ("x.txt", b"x", "text/plain")}
    return await http.post(path, data=data, files=files)


async def test_success_has_headers_and_json(http: httpx2.AsyncClient) -> None:
    response = await post(http, {"model": "whisper-1"})
    assert response.status_code == 200
    assert response.json() == {
        "text": "Hello from the fake engine.",
        "usage": {"type": "duration", "seconds": 1},
    }
    assert response.headers["x-request-id"].startswith("req_")
    assert len(response.headers["x-request-id"]) == 36
    assert int(response.headers["openai-processing-ms"]) >= 0


@pytest.mark.parametrize(
    ("fields", "audio", "status", "param", "code"),
    [
        ({"model": "whisper-1"}, None, 400, "file", "missing_required_parameter"),
        ({}, SPEECHLIKE, 400, "model", "missing_required_parameter"),
        ({"model": "whisper-1"}, b"", 400, "file", "invalid_value"),
        ({"model": "whisper-1"}, b"\x00\x01garbage" * 100, 400, "file", "invalid_value"),
        ({"model": "whisper-1"}, png_image(), 400, "file", "invalid_value"),
        ({"model": "whisper-1"}, video_without_audio(), 400, "file", "invalid_value"),
        ({"model": "whisper-1"}, sine_wav(0.05), 400, "file", "audio_too_short"),
        (
            {"model": "whisper-1", "response_format": "xml"},
            SPEECHLIKE,
            400,
            "response_format",
            "invalid_value",
        ),
        (
            {"model": "whisper-1", "temperature": "2"},
            SPEECHLIKE,
            400,
            "temperature",
            "decimal_above_max_value",
        ),
        (
            {"model": "whisper-1", "temperature": "-1"},
            SPEECHLIKE,
            400,
            "temperature",
            "decimal_below_min_value",
        ),
        ({"model": "whisper-1", "temperature": "hot"}, SPEECHLIKE, 400, "temperature", "invalid_value"),
        ({"model": "whisper-1", "language": "auto"}, SPEECHLIKE, 400, "language", "invalid_language_format"),
        (
            {"model": "whisper-1", "language": "english"},
            SPEECHLIKE,
            400,
            "language",
            "invalid_language_format",
        ),
        (
            {
                "model": "whisper-1",
                "timestamp_granularities[]": "sentence",
                "response_format": "verbose_json",
            },
            SPEECHLIKE,
            400,
            "timestamp_granularities",
            "invalid_value",
        ),
        (
            {"model": "whisper-1", "timestamp_granularities[]": "word"},
            SPEECHLIKE,
            400,
            "timestamp_granularities",
            "invalid_value",
        ),
        ({"model": "tiny.en", "language": "de"}, SPEECHLIKE, 400, "language", "unsupported_language"),
    ],
)
async def test_bad_requests_are_400_envelopes(
    http: httpx2.AsyncClient, fields: dict[str, Any], audio: bytes | None, status: int, param: str, code: str
) -> None:
    response = await post(http, fields, audio)
    assert_error(response, status, "invalid_request_error", param, code)
    assert response.headers["x-should-retry"] == "false"


async def test_unknown_model_is_404_model_not_found(http: httpx2.AsyncClient) -> None:
    response = await post(http, {"model": "whisper-2"})
    assert_error(response, 404, "invalid_request_error", None, "model_not_found")
    assert (
        response.json()["error"]["message"]
        == "The model `whisper-2` does not exist or you do not have access to it."
    )


async def test_a_path_is_never_a_model(http: httpx2.AsyncClient, tmp_path: Path) -> None:
    response = await post(http, {"model": str(tmp_path)})
    assert_error(response, 404, "invalid_request_error", None, "model_not_found")


async def test_english_only_model_cannot_translate(http: httpx2.AsyncClient) -> None:
    response = await post(http, {"model": "tiny.en"}, path=TRANSLATE)
    assert_error(response, 400, "invalid_request_error", "model", "unsupported_value")


async def test_translation_json_has_only_text(http: httpx2.AsyncClient) -> None:
    response = await post(http, {"model": "whisper-1", "language": "de"}, path=TRANSLATE)
    assert response.status_code == 200
    assert response.json() == {"text": "Hello from the fake engine."}


async def test_file_part_without_filename_is_explained(http: httpx2.AsyncClient) -> None:
    body = (
        b'--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\n' + SPEECHLIKE[:2000] + b"\r\n"
        b'--xyz\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--xyz--\r\n'
    )
    response = await http.post(
        TRANSCRIBE, content=body, headers={"content-type": "multipart/form-data; boundary=xyz"}
    )
    assert_error(response, 400, "invalid_request_error", "file", "invalid_value")
    assert "no filename" in response.json()["error"]["message"]


async def test_non_multipart_body_is_400(http: httpx2.AsyncClient) -> None:
    response = await http.post(TRANSCRIBE, json={"model": "whisper-1"})
    assert_error(response, 400, "invalid_request_error", None, "invalid_content_type")


async def test_unknown_fields_are_ignored_and_lists_parsed(http: httpx2.AsyncClient) -> None:
    data = {
        "model": "whisper-1",
        "response_format": "verbose_json",
        "timestamp_granularities[]": ["word", "segment"],
        "include[]": "logprobs",
        "chunking_strategy[type]": "server_vad",
        "chunking_strategy[threshold]": "0.5",
        "stream": "false",
        "brand_new_field": "whatever",
    }
    response = await post(http, data)
    assert response.status_code == 200, response.text
    body = response.json()
    validate(body, "CreateTranscriptionResponseVerboseJson")
    assert [w["word"] for w in body["words"]] == ["Hello", "world."]
    assert len(body["segments"]) == 1


async def test_unknown_route_is_an_envelope(http: httpx2.AsyncClient) -> None:
    assert_error(await http.get("/v1/nothing-here"), 404, "invalid_request_error", None, None)


async def test_wrong_method_is_an_envelope(http: httpx2.AsyncClient) -> None:
    assert_error(await http.get(TRANSCRIBE), 405, "invalid_request_error", None, None)
