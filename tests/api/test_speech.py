"""POST /v1/audio/speech over the real HTTP stack on a fake voice (a tone): the API layer, not speech.

Every bad input gets OpenAI's envelope and a 4xx; streams are one file; SSE events match OpenAI's schemas.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
import openai
import pytest
from fastapi import FastAPI

from auricle.api.app import create_app
from auricle.audio.encode import ResponseFormat
from auricle.config import Settings
from auricle.synthesis.catalogue import OPENAI_VOICES, SPEECH_MODELS
from tests.api.conftest import BASE_URL, running
from tests.api.test_disconnect import Client, wait_for
from tests.api.test_transcriptions import assert_error
from tests.fakes import fake_registry_factory
from tests.support.openapi import validate
from tests.support.spoken import decoded
from tests.support.voices import ToneVoice, tone_synthesizer

pytestmark = pytest.mark.anyio

TEXT = "Hello there, my friend. The tone stands in for a voice."
# The tone lasts 0.05 s per character of the pieces read (the spaces between them are not read).
TONE_SECONDS = sum(map(len, ["Hello there,", "my friend.", "The tone stands in for a voice."])) * 0.05


def tone_app(*voices: ToneVoice, **settings: Any) -> FastAPI:
    app = create_app(Settings(**settings), fake_registry_factory())
    concurrency, queue = settings.get("speech_concurrency", 1), settings.get("speech_max_queue", 0)
    app.state.synthesizer = tone_synthesizer(
        *(voices or (ToneVoice(),)), concurrency=concurrency, max_queue=queue
    )
    return app


@asynccontextmanager
async def sdk_for(app: FastAPI) -> AsyncIterator[tuple[openai.AsyncOpenAI, httpx2.AsyncClient]]:
    async with running(app) as http:
        yield (
            openai.AsyncOpenAI(base_url=f"{BASE_URL}/v1", api_key="k", http_client=http, max_retries=0),
            http,
        )


def speak(**fields: Any) -> dict[str, Any]:
    return {"model": "tts-1", "voice": "alloy", "input": TEXT, **fields}


def seconds_of(data: bytes) -> float:
    return decoded(data).seconds


@pytest.mark.parametrize(
    ("response_format", "media_type"),
    [
        ("mp3", "audio/mpeg"),
        ("opus", "audio/opus"),
        ("aac", "audio/aac"),
        ("flac", "audio/flac"),
        ("wav", "audio/wav"),
        ("pcm", "audio/pcm"),
    ],
)
async def test_every_format_has_openais_type(response_format: ResponseFormat, media_type: str) -> None:
    async with sdk_for(tone_app()) as (sdk, _):
        reply = await sdk.audio.speech.create(
            model="tts-1", voice="alloy", input=TEXT, response_format=response_format
        )
    assert reply.response.headers["content-type"] == media_type
    assert reply.response.headers["x-auricle-voice"] == "heart"
    if response_format == "pcm":
        assert len(reply.content) == pytest.approx(TONE_SECONDS * 24_000 * 2, rel=0.01)
    else:
        assert seconds_of(reply.content) == pytest.approx(TONE_SECONDS, abs=0.1)


def sse_events(body: str) -> list[dict[str, Any]]:
    blocks = [block for block in body.split("\n\n") if block]
    assert all(block.startswith("data: ") and "\n" not in block for block in blocks)
    return [json.loads(block.removeprefix("data: ")) for block in blocks]


@pytest.mark.parametrize("model", ["tts-1", "gpt-4o-mini-tts"])
async def test_sse_events_match_openais_schemas_and_carry_one_file(model: str) -> None:
    async with sdk_for(tone_app()) as (_, http):
        # The SDKs ask for octet-stream even for SSE: the body decides, not the Accept header.
        reply = await http.post(
            "/v1/audio/speech",
            json=speak(model=model, stream_format="sse"),
            headers={"accept": "application/octet-stream"},
        )
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/event-stream")
    events = sse_events(reply.text)
    for event in events:
        validate(event, "CreateSpeechResponseStreamEvent")
    *deltas, done = events
    assert {event["type"] for event in deltas} == {"speech.audio.delta"}
    assert len(deltas) >= 2
    validate(done, "SpeechAudioDoneEvent")
    audio = b"".join(base64.b64decode(event["audio"]) for event in deltas)
    seconds = seconds_of(audio)
    assert seconds == pytest.approx(TONE_SECONDS, abs=0.1)
    usage = done["usage"]
    assert usage["input_tokens"] == len(TEXT)
    assert usage["output_tokens"] == pytest.approx(seconds * 80, abs=8)
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


def test_the_request_body_is_openais() -> None:
    for body in [
        speak(),
        speak(
            voice={"id": "heart"}, speed=4, response_format="pcm", stream_format="sse", instructions="Calm."
        ),
    ]:
        validate(body, "CreateSpeechRequest")


LONG = "a" * 4097
BAD_INPUTS = [
    ({"voice": "alloy", "input": TEXT}, 400, "model", "missing_required_parameter"),
    ({"model": "tts-1", "voice": "alloy"}, 400, "input", "missing_required_parameter"),
    ({"model": "tts-1", "input": TEXT}, 400, "voice", "missing_required_parameter"),
    (speak(input=""), 400, "input", "empty_input"),
    (speak(input="   \n\t "), 400, "input", "empty_input"),
    (speak(input="\x00\x01\x1b\x7f"), 400, "input", "empty_input"),
    (speak(input=LONG), 400, "input", "invalid_input"),
    (speak(input="\u4f60\u597d\uff0c\u4e16\u754c\u3002"), 400, "input", "unsupported_language"),
    (speak(input="Привет, мир"), 400, "input", "unsupported_language"),
    (speak(voice="bob"), 400, "voice", "invalid_value"),
    (speak(voice={"id": "bob"}), 400, "voice", "invalid_value"),
    (speak(voice={"name": "alloy"}), 400, "voice", "invalid_type"),
    (speak(voice=7), 400, "voice", "invalid_type"),
    (speak(speed=0.2), 400, "speed", "invalid_speed"),
    (speak(speed=4.5), 400, "speed", "invalid_speed"),
    (speak(speed="fast"), 400, "speed", "invalid_speed"),
    (speak(response_format="ogg"), 400, "response_format", "invalid_response_format"),
    (speak(stream_format="chunks"), 400, "stream_format", "invalid_stream_format"),
    (speak(instructions="x" * 4097), 400, "instructions", "invalid_instructions"),
    (speak(input=42), 400, "input", "invalid_input"),
    (speak(model=None), 400, "model", "invalid_model"),
    (speak(stream=True), 400, "stream", "unknown_parameter"),
    ([speak()], 400, None, "invalid_json"),
    (speak(model="gpt-5-tts"), 404, None, "model_not_found"),
    (speak(model="whisper-1"), 404, None, "model_not_found"),
]


@pytest.mark.parametrize(("body", "status", "param", "code"), BAD_INPUTS)
async def test_bad_input_gets_openais_envelope(
    body: object, status: int, param: str | None, code: str
) -> None:
    async with sdk_for(tone_app()) as (_, http):
        reply = await http.post("/v1/audio/speech", json=body)
    assert_error(reply, status, "invalid_request_error", param, code)
    assert reply.headers["x-should-retry"] == "false"


@pytest.mark.parametrize("content", [b"{not json", b"", b"\xff\xfe", b'{"model": "tts-1",'])
async def test_a_body_that_is_not_json(content: bytes) -> None:
    async with sdk_for(tone_app()) as (_, http):
        reply = await http.post(
            "/v1/audio/speech", content=content, headers={"content-type": "application/json"}
        )
    assert_error(reply, 400, "invalid_request_error", None, "invalid_json")


async def test_the_sdk_raises_its_own_errors() -> None:
    async with sdk_for(tone_app()) as (sdk, _):
        with pytest.raises(openai.BadRequestError, match="Supported values are"):
            await sdk.audio.speech.create(model="tts-1", voice="robot", input=TEXT)
        with pytest.raises(openai.NotFoundError):
            await sdk.audio.speech.create(model="tts-9", voice="alloy", input=TEXT)


@pytest.mark.parametrize("voice", [*OPENAI_VOICES, "heart", "hibari-heart", {"id": "alloy"}, {"id": "joe"}])
async def test_every_voice_name_is_accepted(voice: str | dict[str, str]) -> None:
    async with sdk_for(tone_app(ToneVoice("heart"), ToneVoice("joe"))) as (_, http):
        reply = await http.post("/v1/audio/speech", json=speak(voice=voice, response_format="pcm"))
    assert reply.status_code == 200
    assert "x-auricle-voice-fallback" not in reply.headers


async def test_a_voice_not_installed_falls_back_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="auricle")
    async with sdk_for(tone_app(ToneVoice("heart"))) as (_, http):
        reply = await http.post("/v1/audio/speech", json=speak(voice="onyx", response_format="pcm"))
    assert reply.status_code == 200
    assert reply.headers["x-auricle-voice"] == "heart"
    assert reply.headers["x-auricle-voice-fallback"] == "joe is not installed; read by heart"
    assert "voice onyx maps to joe, which is not installed" in caplog.text


def speech_scope(body: bytes) -> dict[str, Any]:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/v1/audio/speech", "raw_path": b"/v1/audio/speech", "query_string": b"", "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 50000), "server": ("auricle.test", 80),
    }  # fmt: skip


async def test_a_client_that_leaves_stops_the_synthesis() -> None:
    gate = threading.Event()
    voice = ToneVoice(gate=gate)
    app = tone_app(voice)
    body = json.dumps(speak(input="One, two. " * 40, response_format="pcm")).encode()
    async with running(app) as http:
        client = Client([body])
        async with anyio.create_task_group() as group:
            group.start_soon(app, speech_scope(body), client.receive, client.send)
            await wait_for(lambda: any(message.get("body") for message in client.sent))
            client.leave.set()
            gate.set()
        assert client.status == 200
        assert len(voice.pieces) <= 3, "synthesis went on after the client left"
        # The place was given back: with one place and no queue this would be a 429.
        assert (await http.post("/v1/audio/speech", json=speak(response_format="pcm"))).status_code == 200


async def test_the_answer_starts_after_the_first_clause() -> None:
    # Driven as ASGI: httpx2's ASGITransport hands over a body only once it is complete.
    gate = threading.Event()
    voice = ToneVoice(gate=gate)
    app = tone_app(voice)
    body = json.dumps(speak(response_format="pcm")).encode()
    async with running(app):
        client = Client([body])
        async with anyio.create_task_group() as group:
            group.start_soon(app, speech_scope(body), client.receive, client.send)
            await wait_for(lambda: any(message.get("body") for message in client.sent))
            # The first clause alone has left, while the next piece waits at the gate.
            assert voice.pieces == ["Hello there,"]
            gate.set()
            await wait_for(lambda: any(message.get("more_body") is False for message in client.sent))
    chunks = [message["body"] for message in client.sent if message["type"] == "http.response.body"]
    assert len(chunks[0]) == int(len("Hello there,") * 0.05 * 24_000) * 2
    assert voice.pieces == ["Hello there,", "my friend.", "The tone stands in for a voice."]
    assert len(b"".join(chunks)) == pytest.approx(TONE_SECONDS * 24_000 * 2, rel=0.01)
    start = next(message for message in client.sent if message["type"] == "http.response.start")
    assert (b"content-length", b"%d" % len(b"".join(chunks))) not in start["headers"]


async def test_busy_is_a_429_with_retry_after() -> None:
    gate = threading.Event()
    app = tone_app(ToneVoice(gate=gate))
    body = json.dumps(speak()).encode()
    async with running(app) as http:
        client = Client([body])
        async with anyio.create_task_group() as group:
            group.start_soon(app, speech_scope(body), client.receive, client.send)
            await wait_for(lambda: client.status is not None)
            busy = await http.post("/v1/audio/speech", json=speak())
            gate.set()
            client.leave.set()
    assert_error(busy, 429, "requests", None, "rate_limit_exceeded")
    assert busy.headers["retry-after"] == "3"
    assert busy.headers["x-should-retry"] == "true"


async def test_model_and_voice_lists_for_open_webui() -> None:
    async with sdk_for(tone_app(ToneVoice("heart"))) as (sdk, http):
        models = (await http.get("/v1/audio/models")).json()
        voices = (await http.get("/v1/audio/voices")).json()
        listed = [model.id async for model in sdk.models.list()]
        retrieved = await sdk.models.retrieve("tts-1")
    assert models == {"models": [{"id": model_id} for model_id in SPEECH_MODELS]}
    assert [voice["id"] for voice in voices["voices"]] == [*OPENAI_VOICES, "heart", "hibari-heart"]
    assert all(isinstance(voice["name"], str) and voice["name"] for voice in voices["voices"])
    assert set(SPEECH_MODELS) <= set(listed)
    assert retrieved.id == "tts-1"


async def test_metrics_count_characters_and_seconds_and_logs_hold_no_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "The launch code is swordfish."
    async with sdk_for(tone_app()) as (_, http):
        await http.post("/v1/audio/speech", json=speak(input=secret, voice="nova", response_format="pcm"))
        exposition = (await http.get("/metrics")).text
    assert f'auricle_speech_characters_total{{model="tts-1",voice="nova"}} {float(len(secret))}' in exposition
    line = next(
        line for line in exposition.splitlines() if line.startswith("auricle_speech_audio_seconds_total{")
    )
    assert float(line.split()[-1]) == pytest.approx(len(secret) * 0.05, abs=0.05)
    assert "swordfish" not in caplog.text
