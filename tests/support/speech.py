"""Real speech made longer or re-encoded as 16 kHz WAV, for tests that need audio of a given length."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np

from auricle.audio.decode import decode
from auricle.engine.protocol import SAMPLE_RATE, Samples


def samples_of(path: Path) -> Samples:
    return decode(io.BytesIO(path.read_bytes()), max_seconds=3600)


def wav(samples: Samples) -> bytes:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(pcm)
    return out.getvalue()


def repeated_wav(path: Path, times: int) -> bytes:
    """The recording `times` over: long audio whose every window holds real speech."""
    return wav(np.tile(samples_of(path), times))
