"""`/v1/realtime` over real sockets with a fake engine: the protocol, both dialects, auth and errors.

Recognition itself is tested on the real model in tests/e2e/test_realtime.py.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import websockets
from openai.types.beta.realtime import TranscriptionSessionUpdatedEvent
from openai.types.realtime import (
    ConversationItemAdded,
    ConversationItemDone,
    ConversationItemInputAudioTranscriptionCompletedEvent,
    ConversationItemInputAudioTranscriptionDeltaEvent,
    ConversationItemInputAudioTranscriptionFailedEvent,
    InputAudioBufferClearedEvent,
    InputAudioBufferCommittedEvent,
    InputAudioBufferSpeechStartedEvent,
    InputAudioBufferSpeechStoppedEvent,
    RealtimeErrorEvent,
    RealtimeTranscriptionSessionCreateRequest,
)
from websockets.asyncio.client import ClientConnection

from auricle.api.app import create_app
from auricle.config import Settings
from tests.fakes import FAKE_TEXT, FakeModel, fake_registry_factory
from tests.support.realtime import URL_PATH, append, pcm24
from tests.support.speech import samples_of
from tests.support.threaded import served

pytestmark = pytest.mark.anyio

MANUAL = {"type": "transcription", "audio": {"input": {"turn_detection": None}}}
ONE_SECOND = bytes(48_000)  # 24 kHz, 16-bit: one second of silence


@pytest.fixture
def model() -> FakeModel:
    return FakeModel()


def _serve(tmp_path: Path, model: FakeModel, **overrides: Any) -> Any:
    settings = Settings(cache_dir=tmp_path, **overrides)
    return served(create_app(settings, fake_registry_factory(multilingual_model=model)))


@pytest.fixture
def server(tmp_path: Path, model: FakeModel) -> Iterator[str]:
    with _serve(tmp_path, model) as base:
        yield base


async def _next(socket: ClientConnection, kind: str | None = None) -> dict[str, Any]:
    """The next event (of type `kind`, skipping others)."""
    while True:
        event: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 10))
        if kind is None or event["type"] == kind:
            return event


async def _send(socket: ClientConnection, **event: Any) -> None:
    await socket.send(json.dumps(event))


async def _manual(socket: ClientConnection) -> None:
    await _next(socket, "session.created")
    await _send(socket, type="session.update", session=MANUAL)
    await _next(socket, "session.updated")


async def test_ga_session_is_created_with_openai_defaults(server: str) -> None:
    async with websockets.connect(server + URL_PATH) as socket:
        created = await _next(socket)
    assert created["type"] == "session.created"
    assert created["event_id"].startswith("event_")
    session = created["session"]
    RealtimeTranscriptionSessionCreateRequest.model_validate(session)
    assert session["object"] == "realtime.transcription_session"
    assert session["id"].startswith("sess_")
    audio_input = session["audio"]["input"]
    assert audio_input["format"] == {"type": "audio/pcm", "rate": 24000}
    assert audio_input["transcription"]["model"] == "whisper-1"
    assert audio_input["turn_detection"] == {
        "type": "server_vad",
        "threshold": 0.5,
        "prefix_padding_ms": 300,
        "silence_duration_ms": 500,
    }


async def test_manual_commit_transcribes_the_buffer_in_openai_order(server: str) -> None:
    async with websockets.connect(server + URL_PATH) as socket:
        await _manual(socket)
        await socket.send(append(ONE_SECOND))
        await _send(socket, type="input_audio_buffer.commit")
        events = [await _next(socket) for _ in range(5)]
    kinds = [event["type"] for event in events]
    assert kinds == [
        "input_audio_buffer.committed",
        "conversation.item.added",
        "conversation.item.input_audio_transcription.delta",
        "conversation.item.input_audio_transcription.completed",
        "conversation.item.done",
    ]
    committed, added, delta, completed, done = events
    InputAudioBufferCommittedEvent.model_validate(committed)
    ConversationItemAdded.model_validate(added)
    ConversationItemInputAudioTranscriptionDeltaEvent.model_validate(delta)
    ConversationItemInputAudioTranscriptionCompletedEvent.model_validate(completed)
    ConversationItemDone.model_validate(done)
    item_id = committed["item_id"]
    assert committed["previous_item_id"] is None
    assert added["item"]["id"] == delta["item_id"] == completed["item_id"] == done["item"]["id"] == item_id
    assert delta["delta"] == completed["transcript"] == FAKE_TEXT.strip()
    assert completed["usage"] == {"type": "duration", "seconds": pytest.approx(1.0, abs=0.01)}
    assert done["item"]["content"][0]["transcript"] == FAKE_TEXT.strip()


async def test_turns_chain_by_previous_item_id(server: str) -> None:
    async with websockets.connect(server + URL_PATH) as socket:
        await _manual(socket)
        ids = []
        for _ in range(2):
            await socket.send(append(ONE_SECOND))
            await _send(socket, type="input_audio_buffer.commit")
            committed = await _next(socket, "input_audio_buffer.committed")
            ids.append((committed["item_id"], committed["previous_item_id"]))
            await _next(socket, "conversation.item.input_audio_transcription.completed")
    assert ids[0][1] is None
    assert ids[1][1] == ids[0][0]


async def test_beta_dialect_answers_in_kind(server: str) -> None:
    headers = {"OpenAI-Beta": "realtime=v1"}
    async with websockets.connect(
        server + URL_PATH + "&model=gpt-4o-realtime-preview", additional_headers=headers
    ) as socket:
        created = await _next(socket)
        update = {
            "input_audio_format": "g711_ulaw",
            "turn_detection": None,
            "input_audio_transcription": {"model": "whisper-1", "language": "en"},
        }
        await _send(socket, type="transcription_session.update", session=update)
        updated = await _next(socket)
        await socket.send(append(bytes([0xFF]) * 8000))  # one second of mu-law silence
        await _send(socket, type="input_audio_buffer.commit")
        await _next(socket, "input_audio_buffer.committed")
        item = await _next(socket)
        completed = await _next(socket, "conversation.item.input_audio_transcription.completed")
    assert created["type"] == "transcription_session.created"
    # The SDK's beta type wants an ephemeral key object, which OpenAI's own example leaves null.
    secret = {"value": "", "expires_at": 0}
    TranscriptionSessionUpdatedEvent.model_validate(
        {**updated, "session": {**updated["session"], "client_secret": secret}}
    )
    assert updated["session"]["input_audio_format"] == "g711_ulaw"
    assert updated["session"]["turn_detection"] is None
    assert updated["session"]["input_audio_transcription"]["language"] == "en"
    assert item["type"] == "conversation.item.created"
    assert completed["usage"]["seconds"] == pytest.approx(1.0, abs=0.01)


async def test_server_vad_finds_turns_in_real_speech(server: str, jfk: Path) -> None:
    """Real Silero on real speech; the fake engine only stands in for Whisper."""
    speech = pcm24(samples_of(jfk)[: 4 * 16_000])
    async with websockets.connect(server + URL_PATH) as socket:
        await _next(socket, "session.created")
        for offset in range(0, len(speech), 4800):
            await socket.send(append(speech[offset : offset + 4800]))
        await socket.send(append(ONE_SECOND))
        started = await _next(socket, "input_audio_buffer.speech_started")
        stopped = await _next(socket, "input_audio_buffer.speech_stopped")
        committed = await _next(socket, "input_audio_buffer.committed")
        await _next(socket, "conversation.item.input_audio_transcription.completed")
    InputAudioBufferSpeechStartedEvent.model_validate(started)
    InputAudioBufferSpeechStoppedEvent.model_validate(stopped)
    assert started["item_id"] == stopped["item_id"] == committed["item_id"]
    # jfk.flac's first words start at about 0.3 s, less 300 ms of prefix padding.
    assert 0 <= started["audio_start_ms"] < 400
    assert 500 < stopped["audio_end_ms"] < 4000 + 1000


async def test_a_commit_under_100_ms_is_an_error_and_the_session_goes_on(server: str) -> None:
    async with websockets.connect(server + URL_PATH) as socket:
        await _manual(socket)
        await socket.send(append(bytes(2400)))  # 50 ms
        await _send(socket, type="input_audio_buffer.commit", event_id="evt_client_1")
        error = await _next(socket)
        await socket.send(append(ONE_SECOND))
        await _send(socket, type="input_audio_buffer.commit")
        completed = await _next(socket, "conversation.item.input_audio_transcription.completed")
    RealtimeErrorEvent.model_validate(error)
    assert error["error"]["code"] == "input_audio_buffer_commit_empty"
    assert error["error"]["event_id"] == "evt_client_1"
    assert "Expected at least 100ms of audio" in error["error"]["message"]
    assert completed["transcript"]


async def test_clear_empties_the_buffer(server: str) -> None:
    async with websockets.connect(server + URL_PATH) as socket:
        await _manual(socket)
        await socket.send(append(ONE_SECOND))
        await _send(socket, type="input_audio_buffer.clear")
        cleared = await _next(socket)
        await _send(socket, type="input_audio_buffer.commit")
        error = await _next(socket)
    InputAudioBufferClearedEvent.model_validate(cleared)
    assert error["error"]["code"] == "input_audio_buffer_commit_empty"


@pytest.mark.parametrize(
    ("event", "code", "param"),
    [
        ("not json", "invalid_json", None),
        ("[1, 2]", "invalid_event", None),
        ('{"audio": "AAAA"}', "invalid_event", None),
        ('{"type": "response.create"}', "invalid_value", "type"),
        ('{"type": "input_audio_buffer.append", "audio": "not base64!"}', "invalid_value", "audio"),
        ('{"type": "input_audio_buffer.append"}', "missing_required_parameter", "audio"),
        ('{"type": "session.update", "session": {"type": "realtime"}}', "invalid_value", "session.type"),
        (
            '{"type": "session.update", "session": {"type": "transcription", '
            '"audio": {"input": {"enabled": true}}}}',
            "unknown_parameter",
            "session.audio.input.enabled",
        ),
        (
            '{"type": "session.update", "session": {"type": "transcription", '
            '"audio": {"input": {"format": {"type": "audio/pcm", "rate": 1000}}}}}',
            "invalid_value",
            "session.audio.input.format.rate",
        ),
        (
            '{"type": "session.update", "session": {"type": "transcription", '
            '"audio": {"input": {"transcription": {"model": "nope"}}}}}',
            "model_not_found",
            None,
        ),
        (
            '{"type": "session.update", "session": {"type": "transcription", '
            '"audio": {"input": {"turn_detection": {"type": "server_vad", "threshold": 2}}}}}',
            "invalid_value",
            "session.audio.input.turn_detection.threshold",
        ),
    ],
)
async def test_bad_events_get_error_events_and_the_session_stays_usable(
    server: str, event: str, code: str, param: str | None
) -> None:
    async with websockets.connect(server + URL_PATH) as socket:
        await _manual(socket)
        await socket.send(event)
        error = await _next(socket)
        await _send(socket, type="session.update", session=MANUAL)
        updated = await _next(socket)
    RealtimeErrorEvent.model_validate(error)
    assert error["type"] == "error"
    assert error["error"]["type"] == "invalid_request_error"
    assert error["error"]["code"] == code
    assert error["error"]["param"] == param
    assert updated["type"] == "session.updated"


async def test_binary_frames_are_refused(server: str) -> None:
    async with websockets.connect(server + URL_PATH) as socket:
        await _manual(socket)
        await socket.send(ONE_SECOND)
        error = await _next(socket)
    assert error["error"]["code"] == "invalid_event"


async def test_logprobs_come_with_the_completed_transcript(server: str) -> None:
    session = {**MANUAL, "include": ["item.input_audio_transcription.logprobs"]}
    async with websockets.connect(server + URL_PATH) as socket:
        await _next(socket, "session.created")
        await _send(socket, type="session.update", session=session)
        updated = await _next(socket)
        await socket.send(append(ONE_SECOND))
        await _send(socket, type="input_audio_buffer.commit")
        delta = await _next(socket, "conversation.item.input_audio_transcription.delta")
        completed = await _next(socket, "conversation.item.input_audio_transcription.completed")
    assert updated["session"]["include"] == ["item.input_audio_transcription.logprobs"]
    assert [item["token"] for item in completed["logprobs"]] == ["Hello", " world."]
    assert all(set(item) == {"token", "logprob", "bytes"} for item in completed["logprobs"])
    assert [item["token"] for item in delta["logprobs"]] == ["Hello", " world."]


async def test_a_failed_decode_is_a_failed_event(tmp_path: Path) -> None:
    model = FakeModel(failure=RuntimeError("boom"))
    with _serve(tmp_path, model) as base:
        async with websockets.connect(base + URL_PATH) as socket:
            await _manual(socket)
            await socket.send(append(ONE_SECOND))
            await _send(socket, type="input_audio_buffer.commit")
            failed = await _next(socket, "conversation.item.input_audio_transcription.failed")
            await _send(socket, type="input_audio_buffer.clear")
            cleared = await _next(socket)
    ConversationItemInputAudioTranscriptionFailedEvent.model_validate(failed)
    assert failed["error"]["type"] == "transcription_error"
    assert "boom" not in failed["error"]["message"]
    assert cleared["type"] == "input_audio_buffer.cleared"


async def test_a_buffer_past_its_limit_refuses_the_append(tmp_path: Path, model: FakeModel) -> None:
    with _serve(tmp_path, model, live_max_buffer_seconds=1.5) as base:
        async with websockets.connect(base + URL_PATH) as socket:
            await _manual(socket)
            await socket.send(append(ONE_SECOND))
            await socket.send(append(ONE_SECOND))
            error = await _next(socket)
            await _send(socket, type="input_audio_buffer.commit")
            completed = await _next(socket, "conversation.item.input_audio_transcription.completed")
    assert error["error"]["code"] == "input_audio_buffer_too_large"
    assert completed["usage"]["seconds"] == pytest.approx(1.0, abs=0.01)


async def test_a_session_ends_at_its_maximum_length(tmp_path: Path, model: FakeModel) -> None:
    with _serve(tmp_path, model, live_max_session_seconds=0.5) as base:
        async with websockets.connect(base + URL_PATH) as socket:
            await _next(socket, "session.created")
            error = await _next(socket)
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(socket.recv(), 10)
    assert error["error"]["code"] == "session_expired"


async def test_keys_are_checked_from_the_header_or_the_browser_subprotocol(
    tmp_path: Path, model: FakeModel
) -> None:
    with _serve(tmp_path, model, api_keys=["sk-test-key-123456"]) as base:
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(base + URL_PATH)
        headers = {"Authorization": "Bearer sk-test-key-123456"}
        async with websockets.connect(base + URL_PATH, additional_headers=headers) as socket:
            by_header = await _next(socket)
        protocols = ["realtime", "openai-insecure-api-key.sk-test-key-123456"]
        async with websockets.connect(base + URL_PATH, subprotocols=protocols) as socket:  # type: ignore[arg-type]
            by_protocol = await _next(socket)
            chosen = socket.subprotocol
    assert refused.value.response.status_code == 401
    assert json.loads(refused.value.response.body)["error"]["type"] == "invalid_request_error"
    assert by_header["type"] == by_protocol["type"] == "session.created"
    assert chosen == "realtime"


async def test_a_connection_without_transcription_intent_is_refused(server: str) -> None:
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(server + "/v1/realtime?model=gpt-realtime")
    assert refused.value.response.status_code == 400
    assert json.loads(refused.value.response.body)["error"]["param"] == "intent"


async def test_a_full_server_refuses_another_session(tmp_path: Path, model: FakeModel) -> None:
    with _serve(tmp_path, model, live_max_sessions=1) as base:
        async with websockets.connect(base + URL_PATH) as first:
            await _next(first, "session.created")
            with pytest.raises(websockets.InvalidStatus) as refused:
                await websockets.connect(base + URL_PATH)
        created = await _connect_when_free(base)
    assert refused.value.response.status_code == 429
    assert refused.value.response.headers["retry-after"]
    assert created["type"] == "session.created"


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("never happened")


async def _connect_when_free(base: str) -> dict[str, Any]:
    """The first event of a new session, once the server has given the last one's seat back."""
    for _ in range(100):
        try:
            async with websockets.connect(base + URL_PATH) as socket:
                return await _next(socket)
        except websockets.InvalidStatus:
            await asyncio.sleep(0.05)
    raise AssertionError("the seat was never given back")


async def test_a_client_that_vanishes_stops_its_decode(tmp_path: Path) -> None:
    model = FakeModel(gate=threading.Event())
    with _serve(tmp_path, model, live_max_sessions=1) as base:
        async with websockets.connect(base + URL_PATH) as socket:
            await _manual(socket)
            await socket.send(append(ONE_SECOND))
            await _send(socket, type="input_audio_buffer.commit")
            await _next(socket, "input_audio_buffer.committed")
            await _until(lambda: bool(model.calls))  # the decode has begun, and holds at the gate
        await asyncio.to_thread(model.stopped.wait, 10)
        assert model.stopped.is_set()
        assert (await _connect_when_free(base))["type"] == "session.created"


def test_pcm24_is_what_the_fixtures_send() -> None:
    """The helper itself: a second at 16 kHz is a second at 24 kHz, 16-bit."""
    assert len(pcm24(np.zeros(16_000, np.float32))) == 48_000
    assert base64.b64decode(json.loads(append(b"\x01\x02"))["audio"]) == b"\x01\x02"


async def test_live_text_is_never_logged(server: str, jfk: Path, caplog: pytest.LogCaptureFixture) -> None:
    """As for files: transcripts, partial or final, stay out of the logs at every level."""
    caplog.set_level(logging.DEBUG)
    speech = pcm24(samples_of(jfk)[: 4 * 16_000])
    async with websockets.connect(server + URL_PATH) as socket:
        await _next(socket, "session.created")
        for offset in range(0, len(speech), 4800):
            await socket.send(append(speech[offset : offset + 4800]))
            await asyncio.sleep(0.01)
        await socket.send(append(ONE_SECOND))
        await _next(socket, "conversation.item.input_audio_transcription.completed")
    server_side = [record for record in caplog.records if not record.name.startswith("websockets.client")]
    assert any("live session" in record.getMessage() for record in server_side)
    leaked = [record.name for record in server_side if "fake engine" in record.getMessage()]
    assert leaked == []
