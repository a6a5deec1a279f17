"""Live transcription on the real model: `auricle serve`, the official SDK's realtime clients (GA and
beta) and a raw WebSocket client, real speech replayed at the pace it was spoken."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

import numpy as np
import openai
import pytest
from bench.accuracy import manifest
from bench.accuracy.longform import asterisk_prompts
from bench.accuracy.scoring import edits

from auricle.engine.protocol import SAMPLE_RATE
from tests.conftest import JFK_TEXT
from tests.support.realtime import URL_PATH, pcm24, replay
from tests.support.speech import samples_of, wav

pytestmark = [pytest.mark.model, pytest.mark.anyio]

COMPLETED = "conversation.item.input_audio_transcription.completed"
DELTA = "conversation.item.input_audio_transcription.delta"
CHUNK = 4800  # 100 ms of 24 kHz 16-bit audio


def _client(live_server: str) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=live_server + "/v1",
        api_key="not-needed",
        websocket_base_url=live_server.replace("http://", "ws://") + "/v1",
    )


async def _speak(append: Any, audio: bytes) -> None:
    """The audio in 100 ms pieces, in real time, as a microphone would send it."""
    for offset in range(0, len(audio), CHUNK):
        await append(audio=base64.b64encode(audio[offset : offset + CHUNK]).decode())
        await asyncio.sleep(0.1)


def _wer(reference: str, text: str, language: str = "en") -> float:
    rate = edits(reference, text, language).rate
    assert rate is not None
    return rate


async def test_the_sdk_s_ga_client_transcribes_a_committed_turn(live_server: str, jfk: Path) -> None:
    session: Any = {
        "type": "transcription",
        "audio": {
            "input": {"transcription": {"model": "whisper-1", "language": "en"}, "turn_detection": None}
        },
    }
    async with (
        _client(live_server) as client,
        client.realtime.connect(extra_query={"intent": "transcription"}) as connection,
    ):
        await connection.session.update(session=session)
        await _speak(connection.input_audio_buffer.append, pcm24(samples_of(jfk)))
        await connection.input_audio_buffer.commit()
        kinds: list[str] = []
        deltas: list[str] = []
        async for event in connection:
            kinds.append(event.type)
            if event.type == DELTA:
                deltas.append(str(event.delta))  # type: ignore[union-attr]
            if event.type == COMPLETED:
                transcript = event.transcript  # type: ignore[union-attr]
                break
    assert kinds[:2] == ["session.created", "session.updated"]
    assert "input_audio_buffer.committed" in kinds
    assert _wer(JFK_TEXT, transcript) < 0.1
    assert "".join(deltas) == transcript


async def test_the_sdk_s_beta_client_hears_turns_with_server_vad(live_server: str, jfk: Path) -> None:
    turns: list[str] = []
    async with (
        _client(live_server) as client,
        client.beta.realtime.connect(
            model="gpt-4o-transcribe", extra_query={"intent": "transcription"}
        ) as connection,
    ):
        await connection.transcription_session.update(
            session={"input_audio_transcription": {"model": "whisper-1"}}
        )
        silence = np.zeros(2 * SAMPLE_RATE, np.float32)
        sender = asyncio.get_running_loop().create_task(
            _speak(connection.input_audio_buffer.append, pcm24(np.concatenate([samples_of(jfk), silence])))
        )
        kinds: list[str] = []
        while not (sender.done() and kinds.count(COMPLETED) == kinds.count("input_audio_buffer.committed")):
            try:
                event = await asyncio.wait_for(connection.recv(), 1.0)
            except TimeoutError:
                continue
            kinds.append(event.type)
            if event.type == COMPLETED:
                turns.append(event.transcript)  # type: ignore[union-attr]
        await sender
    assert kinds[0] == "transcription_session.created"
    assert "conversation.item.created" in kinds
    assert kinds.count("input_audio_buffer.speech_started") == kinds.count(COMPLETED) >= 1
    assert _wer(JFK_TEXT, " ".join(turns)) < 0.15


async def test_live_turns_read_as_the_file_does(live_server: str, rows_of_a_dialogue: Any) -> None:
    """40 s of real speech with pauses between lines, from a raw client at real-time pace: every turn
    is transcribed, partial text arrives while turns are spoken, and the turns read as well as each
    turn's audio sent as a file."""
    samples, reference = rows_of_a_dialogue
    url = live_server.replace("http://", "ws://") + URL_PATH
    heard = await replay(url, samples, wait_seconds=120)
    turns = heard.turns
    async with _client(live_server) as client:
        answers = [
            await client.audio.transcriptions.create(model="whisper-1", file=("turn.wav", wav(audio)))
            for audio in heard.turn_audio(samples)
        ]
    as_files = " ".join(answer.text for answer in answers if answer.text)
    assert len(turns) >= 3
    assert all(turn.transcript is not None for turn in turns)
    assert any(turn.spoken_deltas for turn in turns), "no partial text came while a turn was spoken"
    for turn in turns:
        assert turn.started is not None
        assert turn.stopped is not None
        assert turn.completed is not None
        assert turn.started <= turn.stopped <= turn.completed
    starts = [event["audio_start_ms"] for event in heard.of("input_audio_buffer.speech_started")]
    assert starts == sorted(starts)
    assert starts[-1] > 20_000  # counted over the whole session
    # Each turn is transcribed as a file of its audio would be, with the session's language (the
    # bench, bench/live.py, measures this on seven dialogues in five languages).
    assert _wer(reference, heard.text) <= _wer(reference, as_files) + 0.01


@pytest.fixture(scope="module")
def rows_of_a_dialogue() -> tuple[np.ndarray, str]:
    """The first Asterisk English prompts, in id order, joined with 1.2 s pauses, until 40 s."""
    corpus = manifest.default_corpus()
    if not (corpus / manifest.FULL_MANIFEST).is_file():
        pytest.fail(f"no corpus in {corpus}: run `bash ../shared/corpus/build.sh` (scripts/test does)")
    pieces: list[np.ndarray] = []
    said: list[str] = []
    for row in asterisk_prompts(manifest.read(corpus / manifest.FULL_MANIFEST), "en"):
        if sum(len(piece) for piece in pieces) >= 40 * SAMPLE_RATE:
            break
        pieces += [samples_of(corpus / row.path), np.zeros(int(1.2 * SAMPLE_RATE), np.float32)]
        said.append(row.reference)
    return np.concatenate(pieces), " ".join(said)
