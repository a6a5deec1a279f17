"""The one interface the rest of Auricle needs from a speech recogniser."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from auricle.engine.options import DecodeOptions
from auricle.engine.transcript import Segment, Transcript

Samples = npt.NDArray[np.float32]
"""Mono audio at 16 kHz, floats in [-1, 1]."""

SAMPLE_RATE = 16_000


FinalSegments = Callable[[Sequence[Segment]], None]
"""Told each run of a transcript's segments as soon as their text, and the text of every segment before
them, is final: in order, each segment once, and all of them together before `transcribe` returns (their
times may still be tidied). A stream's deltas are made from these."""


class Cancelled(Exception):
    """The caller gave up on a request; recognition stopped at the next window."""


class SpeechModel(Protocol):
    @property
    def multilingual(self) -> bool: ...

    def transcribe(
        self,
        samples: Samples,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        on_final: FinalSegments | None = None,
    ) -> Transcript: ...

    def close(self) -> None:
        """Stop the model's own threads; called once no request uses it any more."""
