"""How sure a WER difference between the two sides is: a paired bootstrap over a group's items.

Both sides transcribe the same items, so the question is not each side's WER alone but whether their
difference would hold on other items like these. Bare faster-whisper's own pooled WER moved 0.4 points
between two runs over the same 552 clips (a timing-dependent temperature fallback, a batch), and on
101 English items one long recording can swing the English figure by a point: a difference smaller
than that is no evidence either way. Resampling the items (with their whole error counts, so a long
recording weighs by its length, as in the pooled WER) gives an interval for the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bench.accuracy.scoring import Edits

RESAMPLES = 2000
SEED = 12
"""Fixed, so that one run's report reads the same each time it is rendered."""
MIN_ITEMS = 5
"""Below this, resampling says nothing (one recording resampled is itself): no interval."""


@dataclass(frozen=True)
class Difference:
    """Auricle's pooled WER minus bare's, in points of WER (negative: Auricle better)."""

    points: float
    low: float
    high: float
    """The 2.5th and 97.5th percentiles of the differences over resampled items."""
    auricle_not_worse: float
    """The share of resamples in which Auricle's WER is at or below bare's."""

    def describe(self) -> str:
        return f"{self.points:+.1f} ({self.low:+.1f} to {self.high:+.1f})"


def paired(pairs: Sequence[tuple[Edits, Edits]], resamples: int = RESAMPLES) -> Difference | None:
    """The difference over `pairs` of (bare, auricle) edits of the same items, with its 95% interval."""
    scored = np.array([(b.errors, a.errors, b.reference) for b, a in pairs if b.reference], dtype=float)
    if len(scored) < MIN_ITEMS:
        return None
    picks = np.random.default_rng(SEED).integers(0, len(scored), size=(resamples, len(scored)))
    drawn = scored[picks]  # (resamples, items, 3)
    draws = 100 * (drawn[:, :, 1].sum(1) - drawn[:, :, 0].sum(1)) / drawn[:, :, 2].sum(1)
    low, high = np.percentile(draws, [2.5, 97.5])
    whole = scored.sum(0)
    return Difference(
        points=float(100 * (whole[1] - whole[0]) / whole[2]),
        low=float(low),
        high=float(high),
        auricle_not_worse=float(np.mean(draws <= 0)),
    )
