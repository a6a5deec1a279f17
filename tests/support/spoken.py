"""Reading back what /v1/audio/speech sent: a whole stream decoded as one file with PyAV."""

from __future__ import annotations

import io
from dataclasses import dataclass

import av

PCM_RATE = 24_000


@dataclass(frozen=True, slots=True)
class Decoded:
    rate: int
    channels: int
    seconds: float


def decoded(data: bytes, response_format: str = "") -> Decoded:
    """`data` as one file; `pcm` as OpenAI's raw 24 kHz 16-bit mono."""
    if response_format == "pcm":
        return Decoded(PCM_RATE, 1, len(data) / 2 / PCM_RATE)
    with av.open(io.BytesIO(data), mode="r") as container:
        frames = list(container.decode(audio=0))
    rate = int(frames[0].sample_rate)
    return Decoded(rate, len(frames[0].layout.channels), sum(frame.samples for frame in frames) / rate)
