"""A fake voice for fast tests of the HTTP layer: a tone as long as the text. Never evidence of speech."""

from __future__ import annotations

import threading

import numpy as np

from auricle.synthesis.protocol import Samples
from auricle.synthesis.synthesizer import Synthesizer

SECONDS_PER_CHARACTER = 0.05


class ToneVoice:
    """0.05 s of 220 Hz per character; `gate`, when given, is waited for before each piece after the first."""

    sample_rate = 24_000

    def __init__(self, voice_id: str = "heart", gate: threading.Event | None = None) -> None:
        self.voice_id = voice_id
        self.gate = gate
        self.pieces: list[str] = []

    def synthesize(self, text: str) -> Samples:
        if self.gate is not None and self.pieces:
            self.gate.wait(10)
        self.pieces.append(text)
        count = int(len(text) * SECONDS_PER_CHARACTER * self.sample_rate)
        return (0.3 * np.sin(2 * np.pi * 220 * np.arange(count) / self.sample_rate)).astype(np.float32)


def tone_synthesizer(*voices: ToneVoice, concurrency: int = 1, max_queue: int = 0) -> Synthesizer:
    from auricle.config import SPEECH_VOICES

    return Synthesizer(
        {voice.voice_id: (lambda voice=voice: voice) for voice in voices},  # type: ignore[misc]
        mapping=SPEECH_VOICES,
        default_voice="heart",
        concurrency=concurrency,
        max_queue=max_queue,
        retry_after_seconds=3,
    )
