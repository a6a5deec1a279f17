"""A raw realtime client for tests and the live bench: replays audio at the pace it was spoken and
records every event with the time it arrived."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import av
import numpy as np
import websockets

from auricle.engine.protocol import SAMPLE_RATE, Samples

TRANSCRIPTION = "conversation.item.input_audio_transcription."
URL_PATH = "/v1/realtime?intent=transcription"


def pcm24(samples: Samples) -> bytes:
    """16 kHz float samples as OpenAI's realtime audio: 16-bit little-endian PCM at 24 kHz, mono."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = SAMPLE_RATE
    resampler = av.AudioResampler(format="s16", layout="mono", rate=24_000)
    frames = [*resampler.resample(frame), *resampler.resample(None)]
    return b"".join(bytes(out.to_ndarray().astype("<i2").tobytes()) for out in frames)


def append(audio: bytes) -> str:
    return json.dumps({"type": "input_audio_buffer.append", "audio": base64.b64encode(audio).decode()})


@dataclass
class Turn:
    item_id: str
    started: float | None = None
    stopped: float | None = None
    committed: float | None = None
    deltas: list[tuple[float, str]] = field(default_factory=list)
    completed: float | None = None
    transcript: str | None = None

    @property
    def spoken_deltas(self) -> list[tuple[float, str]]:
        """The deltas that arrived while the turn was still being spoken."""
        return [(at, text) for at, text in self.deltas if self.stopped is None or at < self.stopped]


@dataclass
class Heard:
    events: list[tuple[float, dict[str, Any]]] = field(default_factory=list)

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [event for _, event in self.events if event["type"] == kind]

    @property
    def turns(self) -> list[Turn]:
        turns: dict[str, Turn] = {}
        for at, event in self.events:
            item_id = event.get("item_id")
            if item_id is None:
                continue
            turn = turns.setdefault(item_id, Turn(item_id))
            kind = event["type"]
            if kind == "input_audio_buffer.speech_started":
                turn.started = at
            elif kind == "input_audio_buffer.speech_stopped":
                turn.stopped = at
            elif kind == "input_audio_buffer.committed":
                turn.committed = at
            elif kind == TRANSCRIPTION + "delta":
                turn.deltas.append((at, event["delta"]))
            elif kind == TRANSCRIPTION + "completed":
                turn.completed, turn.transcript = at, event["transcript"]
        return [turn for turn in turns.values() if turn.committed is not None]

    @property
    def text(self) -> str:
        return " ".join(turn.transcript for turn in self.turns if turn.transcript)

    def turn_audio(self, samples: Samples) -> list[Samples]:
        """Each server-VAD turn's own audio, from its `audio_start_ms` to its `audio_end_ms`, cut from
        the `samples` the session was sent (silence after them, as `replay` sends)."""
        starts = {
            event["item_id"]: event["audio_start_ms"]
            for event in self.of("input_audio_buffer.speech_started")
        }
        ends = {
            event["item_id"]: event["audio_end_ms"] for event in self.of("input_audio_buffer.speech_stopped")
        }
        padded = np.concatenate([samples, np.zeros(5 * SAMPLE_RATE, np.float32)])
        return [
            padded[starts[turn.item_id] * SAMPLE_RATE // 1000 : ends[turn.item_id] * SAMPLE_RATE // 1000]
            for turn in self.turns
            if turn.item_id in starts and turn.item_id in ends
        ]


async def replay(
    url: str,
    samples: Samples,
    *,
    session: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    chunk_seconds: float = 0.1,
    tail_seconds: float = 1.5,
    commit: bool = False,
    wait_seconds: float = 120.0,
) -> Heard:
    """Sends `samples` as a speaker would, a chunk every `chunk_seconds` in real time, then
    `tail_seconds` of silence (or a commit), and waits until every committed turn is transcribed."""
    heard = Heard()
    audio = pcm24(np.concatenate([samples, np.zeros(int(tail_seconds * SAMPLE_RATE), np.float32)]))
    step = int(24_000 * chunk_seconds) * 2
    async with websockets.connect(url, additional_headers=dict(headers or {}), max_size=None) as socket:
        started = time.perf_counter()
        reader = asyncio.get_running_loop().create_task(_read(socket, heard, started))
        if session is not None:
            await socket.send(json.dumps({"type": "session.update", "session": dict(session)}))
        for index, offset in enumerate(range(0, len(audio), step)):
            await socket.send(append(audio[offset : offset + step]))
            await asyncio.sleep(max(0.0, started + (index + 1) * chunk_seconds - time.perf_counter()))
        if commit:
            await socket.send(json.dumps({"type": "input_audio_buffer.commit"}))
        await asyncio.wait_for(_all_transcribed(heard), wait_seconds)
        reader.cancel()
    return heard


async def _read(socket: Any, heard: Heard, started: float) -> None:
    async for message in socket:
        heard.events.append((time.perf_counter() - started, json.loads(message)))


async def _all_transcribed(heard: Heard) -> None:
    await asyncio.sleep(0.3)  # a commit's event may still be on its way
    while True:
        committed = heard.of("input_audio_buffer.committed")
        finished = heard.of(TRANSCRIPTION + "completed") + heard.of(TRANSCRIPTION + "failed")
        if len(finished) >= len(committed):
            return
        await asyncio.sleep(0.05)
