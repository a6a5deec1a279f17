"""`stream=true` on the real model over real HTTP, through the Python SDK: the same text as the plain
answer, sent piece by piece, for a clip, a code-switched recording and a long one."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

import httpx2
import numpy as np
import openai
import pytest
from openai.types.audio import TranscriptionTextDeltaEvent, TranscriptionTextDoneEvent

from tests.support.speech import samples_of, wav

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def client(live_server: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{live_server}/v1", api_key="not-needed", max_retries=0, timeout=600)


def streamed(client: openai.OpenAI, name: str, audio: bytes, **fields: object) -> list[object]:
    stream = client.audio.transcriptions.create(
        model="whisper-1",
        file=(name, audio),
        stream=True,
        **fields,  # type: ignore[call-overload]
    )
    return list(stream)


@pytest.mark.parametrize("language", [None, "en"])
def test_a_stream_says_exactly_the_plain_answer(
    client: openai.OpenAI, jfk: Path, language: str | None
) -> None:
    fields = {"language": language} if language else {}
    plain = client.audio.transcriptions.create(model="whisper-1", file=jfk, **fields)  # type: ignore[call-overload]
    *deltas, done = streamed(client, "jfk.flac", jfk.read_bytes(), **fields)
    assert isinstance(done, TranscriptionTextDoneEvent)
    assert "".join(delta_texts(deltas)) == done.text == plain.text


def delta_texts(events: list[object]) -> list[str]:
    assert events
    assert all(isinstance(event, TranscriptionTextDeltaEvent) for event in events)
    return [event.delta for event in events if isinstance(event, TranscriptionTextDeltaEvent)]


def test_a_code_switched_recording_streams_both_languages(client: openai.OpenAI, multilingual: Path) -> None:
    plain = client.audio.transcriptions.create(model="whisper-1", file=multilingual)
    *deltas, done = streamed(client, "multilingual.mp3", multilingual.read_bytes())
    assert isinstance(done, TranscriptionTextDoneEvent)
    assert "".join(delta_texts(deltas)) == done.text == plain.text
    assert len(deltas) >= 2


def test_a_long_recording_is_streamed_piece_by_piece(
    live_server: str, jfk: Path, record_figure: Callable[[str], None]
) -> None:
    # Two minutes of speech: jfk.flac twelve times, each after a pause that makes it a span of its own.
    pause = np.zeros(3 * 16000, dtype=np.float32)
    audio = wav(np.concatenate([part for _ in range(12) for part in (pause, samples_of(jfk))]))
    started = time.perf_counter()
    arrivals = []
    with httpx2.stream(
        "POST",
        f"{live_server}/v1/audio/transcriptions",
        data={"model": "whisper-1", "stream": "true", "language": "en"},
        files={"file": ("long.wav", io.BytesIO(audio), "audio/wav")},
        timeout=600,
    ) as response:
        assert response.status_code == 200
        for line in response.iter_lines():
            if line.startswith("data: "):
                arrivals.append((time.perf_counter() - started, line))
    first, whole = arrivals[0][0], arrivals[-1][0]
    assert '"transcript.text.done"' in arrivals[-1][1]
    assert len(arrivals) > 12
    record_figure(f"stream of 2 min of speech: first delta after {first:.2f} s, done after {whole:.2f} s")
