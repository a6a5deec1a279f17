"""One response's audio at its final pace and rate: an FFmpeg filter graph kept across its pieces.

`speed` is a time-stretch (`atempo`, pitch kept) for every voice rather than the engines' own pace: the
engines' pace misses the asked length above 2x (hibari at 4.0 gives 2.34x shorter audio, Piper 2.11x) and
reads worse at 2x (hibari 30.0% WER against 8.7% with atempo; notes/speech-synthesis.md 5.4).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import av
import numpy as np
import numpy.typing as npt

# One atempo instance takes factors from 0.5 to 100; 0.25 is two of 0.5.
_ATEMPO_MIN = 0.5
_FRAME_SAMPLES = 2048


def atempo_factors(speed: float) -> list[float]:
    """The atempo factors whose product is `speed` (none for 1)."""
    factors: list[float] = []
    while speed < _ATEMPO_MIN:
        factors.append(_ATEMPO_MIN)
        speed /= _ATEMPO_MIN
    if abs(speed - 1.0) > 1e-6:
        factors.append(speed)
    return factors


class Conditioner:
    """float32 mono samples at `input_rate` in; frames at `speed`, `output_rate` and `sample_format` out."""

    def __init__(self, input_rate: int, output_rate: int, sample_format: str, speed: float) -> None:
        self._input_rate = input_rate
        self._pts = 0
        self._graph = av.filter.Graph()
        node = self._graph.add_abuffer(
            sample_rate=input_rate, format="flt", layout="mono", time_base=Fraction(1, input_rate)
        )
        chain = [node]
        for factor in atempo_factors(speed):
            chain.append(self._graph.add("atempo", f"{factor:.6f}"))
        chain.append(self._graph.add("aresample", str(output_rate)))
        chain.append(
            self._graph.add(
                "aformat", f"sample_fmts={sample_format}:sample_rates={output_rate}:channel_layouts=mono"
            )
        )
        chain.append(self._graph.add("abuffersink"))
        for upstream, downstream in itertools.pairwise(chain):
            upstream.link_to(downstream)
        self._graph.configure()

    def push(self, samples: npt.NDArray[np.float32]) -> list[av.AudioFrame]:
        frames: list[av.AudioFrame] = []
        # atempo sizes its output buffer from its input frames and returns nothing until one is full:
        # fed a 1.5 s piece whole at speed 0.25, it held back the first two pieces.
        for start in range(0, samples.size, _FRAME_SAMPLES):
            self._graph.push(self._frame(samples[start : start + _FRAME_SAMPLES]))
            frames += self._pull()
        return frames

    def _frame(self, samples: npt.NDArray[np.float32]) -> av.AudioFrame:
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self._input_rate
        frame.time_base = Fraction(1, self._input_rate)
        frame.pts = self._pts
        self._pts += samples.size
        return frame

    def flush(self) -> list[av.AudioFrame]:
        self._graph.push(None)
        return self._pull()

    def _pull(self) -> list[av.AudioFrame]:
        frames: list[av.AudioFrame] = []
        while True:
            try:
                frame = self._graph.pull()
                assert isinstance(frame, av.AudioFrame)
                frames.append(frame)
            except (av.BlockingIOError, av.EOFError):
                return frames
