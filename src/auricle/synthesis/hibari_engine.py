"""The bundled default voice: hibari "heart" (Apache-2.0, American English, female, native 24 kHz)."""

from __future__ import annotations

import numpy as np

from auricle.synthesis.protocol import Samples


class HibariEngine:
    """One ONNX session with one intra-op thread: on the 2-core machine one thread ran 121x real time and
    two threads 61x (notes/speech-synthesis.md 5.2), so parallelism comes from one engine per worker."""

    voice_id = "heart"

    def __init__(self) -> None:
        from hibari import Hibari

        self._tts = Hibari(voice="heart", threads=1)
        self.sample_rate: int = int(self._tts.sample_rate)

    def synthesize(self, text: str) -> Samples:
        # A fixed seed for hibari's noise: the same text always sounds the same (and tests repeat).
        audio = self._tts(text, seed=0)
        return np.asarray(audio, dtype=np.float32)
