"""A WAV tone of an exact length: for tests where the audio's length, not its words, matters."""

from __future__ import annotations

import io
import wave

import numpy as np


def tone_wav(seconds: float, rate: int = 16_000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        samples = 0.2 * np.sin(np.arange(round(seconds * rate)) * 2 * np.pi * 440 / rate)
        wav.writeframes((samples * 32767).astype("<i2").tobytes())
    return out.getvalue()
