"""Pauses in real speech, found from frame energy, so long recordings can be cut into utterances."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from auricle.engine.protocol import SAMPLE_RATE, Samples

FRAME_SECONDS = 0.02
# Where between the quiet floor and the loud speech level a frame still counts as a pause. Radio
# recordings (codec2) have a high noise floor, so a fixed dB threshold would find no pauses in them.
QUIET_FRACTION = 0.3


@dataclass(frozen=True, slots=True)
class Pause:
    start: float
    end: float

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2

    @property
    def length(self) -> float:
        return self.end - self.start


def pauses(samples: Samples, min_seconds: float = 0.15) -> list[Pause]:
    """Runs of quiet frames at least `min_seconds` long, in order."""
    hop = int(FRAME_SECONDS * SAMPLE_RATE)
    frames = samples[: len(samples) // hop * hop].reshape(-1, hop)
    level = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-10)
    floor, loud = np.percentile(level, [10, 90])
    quiet = level < floor + QUIET_FRACTION * (loud - floor)
    found: list[Pause] = []
    start: int | None = None
    for index, is_quiet in enumerate([*quiet.tolist(), False]):
        if is_quiet and start is None:
            start = index
        elif not is_quiet and start is not None:
            if (index - start) * FRAME_SECONDS >= min_seconds:
                found.append(Pause(start * FRAME_SECONDS, index * FRAME_SECONDS))
            start = None
    return found


def longest_pause(samples: Samples, between: tuple[float, float]) -> Pause:
    """The longest pause that starts inside `between` (seconds); where one part of a recording ends."""
    inside = [p for p in pauses(samples) if between[0] <= p.start <= between[1]]
    if not inside:
        raise ValueError(f"no pause between {between[0]} s and {between[1]} s")
    return max(inside, key=lambda pause: pause.length)


def utterances(samples: Samples, shortest: float = 2.0, longest: float = 10.0) -> list[Samples]:
    """Pieces cut in the middle of pauses, each `shortest`-`longest` s: the first cut past 4 s is taken.

    Whisper sees each piece as a separate request, as a voice assistant's utterances would be.
    """
    cuts = [0.0, *(p.middle for p in pauses(samples)), len(samples) / SAMPLE_RATE]
    pieces: list[tuple[float, float]] = []
    start = cuts[0]
    for previous, cut in itertools.pairwise(cuts):
        if cut - start > longest:
            # Too long to end here: end at the previous cut if that is long enough, else give up on it.
            if previous - start >= shortest:
                pieces.append((start, previous))
            start = previous if cut - previous <= longest else cut
        if cut - start >= 4.0:
            pieces.append((start, cut))
            start = cut
    return [samples[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)] for a, b in pieces if b - a >= shortest]
