"""What a voice engine is to the rest of the service: text in, float32 mono samples out."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]


class VoiceEngine(Protocol):
    """One loaded voice. `synthesize` is called on a worker thread, one chunk of text at a time, and
    must not keep state between calls that another thread's call could disturb."""

    @property
    def voice_id(self) -> str:
        """The native id of the voice (`heart`, `joe`)."""

    @property
    def sample_rate(self) -> int:
        """The rate of the samples `synthesize` returns."""

    def synthesize(self, text: str) -> Samples:
        """Speech for `text` (already normalised, at most one chunk long), at the voice's own pace."""


class UnreadableText(Exception):
    """The engine produced no sound for a text: nothing in it is in a script the voice can read."""
