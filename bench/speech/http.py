"""One speech request over HTTP, timed from sending to the first audio byte and to the last."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass

import httpx2


@dataclass(frozen=True, slots=True)
class HttpRun:
    first_byte_seconds: float
    total_seconds: float
    audio_seconds: float
    """Read from the `pcm` length or the SSE usage; for other formats, the pcm run's length."""
    body_bytes: int

    @property
    def real_time_factor(self) -> float:
        return self.audio_seconds / self.total_seconds


def speak(http: httpx2.Client, text: str, voice: str, response_format: str, **fields: object) -> HttpRun:
    body = {"model": "tts-1", "voice": voice, "input": text, "response_format": response_format, **fields}
    started = time.perf_counter()
    first: float | None = None
    size = 0
    with http.stream("POST", "/v1/audio/speech", json=body) as response:
        response.raise_for_status()
        for chunk in response.iter_raw():
            if chunk and first is None:
                first = time.perf_counter() - started
            size += len(chunk)
    total = time.perf_counter() - started
    seconds = size / 48_000 if response_format == "pcm" else 0.0
    return HttpRun(first if first is not None else total, total, seconds, size)


def sse_audio_seconds(http: httpx2.Client, text: str, voice: str) -> float:
    """The audio length the stream's `speech.audio.done` usage reports (80 output tokens a second)."""
    body = {"model": "tts-1", "voice": voice, "input": text, "response_format": "pcm", "stream_format": "sse"}
    response = http.post("/v1/audio/speech", json=body)
    response.raise_for_status()
    events = [json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: ")]
    pcm = b"".join(
        base64.b64decode(event["audio"]) for event in events if event["type"] == "speech.audio.delta"
    )
    return len(pcm) / 48_000
