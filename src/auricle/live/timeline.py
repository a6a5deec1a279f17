"""A live session's audio: everything since the session began is on one clock, only the uncommitted
part is kept.

OpenAI counts `audio_start_ms` and `audio_end_ms` "from the start of all audio written during the
session", never from the latest commit (speaches counts per buffer, a known deviation), so the buffer
is a window onto that clock: `origin` is where it starts, `end` where the audio written so far ends.
"""

from __future__ import annotations

import numpy as np

from auricle.engine.protocol import SAMPLE_RATE, Samples


def to_ms(samples: int) -> int:
    return samples * 1000 // SAMPLE_RATE


def to_samples(ms: int) -> int:
    return ms * SAMPLE_RATE // 1000


class Timeline:
    def __init__(self) -> None:
        self.origin = 0
        """Samples written before the buffer starts."""
        self._pieces: list[Samples] = []
        self._held = 0

    @property
    def end(self) -> int:
        return self.origin + self._held

    @property
    def held_seconds(self) -> float:
        return self._held / SAMPLE_RATE

    def append(self, samples: Samples) -> None:
        if samples.size:
            self._pieces.append(samples)
            self._held += samples.size

    def between(self, start: int, end: int) -> Samples:
        """A copy of the audio from sample `start` to `end` of the session (clipped to what is held)."""
        held = self._joined()
        return held[max(start - self.origin, 0) : max(end - self.origin, 0)].copy()

    def drop_before(self, sample: int) -> None:
        """Forget the audio before `sample`: it was committed, cleared, or is silence no turn can reach."""
        cut = min(max(sample - self.origin, 0), self._held)
        if cut:
            held = self._joined()[cut:]
            self._pieces = [held] if held.size else []
            self.origin += cut
            self._held -= cut

    def _joined(self) -> Samples:
        if len(self._pieces) > 1:
            self._pieces = [np.concatenate(self._pieces)]
        return self._pieces[0] if self._pieces else np.zeros(0, dtype=np.float32)
