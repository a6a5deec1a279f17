"""Diarization error rate as NIST scores it, on 10 ms frames.

(missed + false alarm + confusion) / reference speaker time, with the best one-to-one mapping of
hypothesis to reference speakers; a collar of `collar` seconds around each reference boundary is left
out of the score. Overlapped reference speech counts once per speaker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import permutations

import numpy as np
import numpy.typing as npt

STEP = 0.01
Span = tuple[float, float, str]


@dataclass(frozen=True, slots=True)
class Score:
    reference: float
    missed: float
    false_alarm: float
    confusion: float
    overlap: float
    """Reference seconds where two or more speak."""
    overlap_found: float
    """Of those, seconds where the hypothesis also has two or more speakers."""

    @property
    def der(self) -> float:
        return (self.missed + self.false_alarm + self.confusion) / self.reference if self.reference else 0.0


def _grid(spans: Sequence[Span], frames: int) -> tuple[list[str], npt.NDArray[np.bool_]]:
    names = sorted({name for *_, name in spans})
    grid = np.zeros((len(names), frames), dtype=bool)
    for start, end, name in spans:
        grid[names.index(name), round(start / STEP) : round(end / STEP)] = True
    return names, grid


def _collar(reference: Sequence[Span], frames: int, collar: float) -> npt.NDArray[np.bool_]:
    keep = np.ones(frames, dtype=bool)
    width = round(collar / STEP)
    for start, end, _ in reference:
        for edge in (start, end):
            centre = round(edge / STEP)
            keep[max(0, centre - width) : centre + width] = False
    return keep


def _correct(ref: npt.NDArray[np.bool_], hyp: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Frames where each mapped pair is both active, for the mapping that maximises them."""
    agree = (ref[:, None, :] & hyp[None, :, :]).sum(axis=2)
    best: tuple[int, ...] = ()
    best_total = -1
    r, h = agree.shape
    for chosen in permutations(range(max(r, h)), r) if h else [()]:
        total = sum(int(agree[i, j]) for i, j in enumerate(chosen) if j < h)
        if total > best_total:
            best, best_total = tuple(chosen), total
    correct = np.zeros(ref.shape[1], dtype=np.int64)
    for i, j in enumerate(best):
        if j < h:
            correct += ref[i] & hyp[j]
    return correct


def score(reference: Sequence[Span], hypothesis: Sequence[Span], collar: float = 0.0) -> Score:
    end = max([e for _, e, _ in [*reference, *hypothesis]] or [0.0])
    frames = round(end / STEP) + 1
    _, ref = _grid(reference, frames)
    _, hyp = _grid(hypothesis, frames)
    if not len(hyp):
        hyp = np.zeros((0, frames), dtype=bool)
    keep = _collar(reference, frames, collar) if collar else np.ones(frames, dtype=bool)
    n_ref, n_hyp = ref.sum(axis=0), hyp.sum(axis=0)
    correct = _correct(ref, hyp) if len(ref) else np.zeros(frames, dtype=np.int64)
    overlap = (n_ref >= 2) & keep
    return Score(
        reference=float(n_ref[keep].sum() * STEP),
        missed=float(np.maximum(0, n_ref - n_hyp)[keep].sum() * STEP),
        false_alarm=float(np.maximum(0, n_hyp - n_ref)[keep].sum() * STEP),
        confusion=float((np.minimum(n_ref, n_hyp) - correct)[keep].sum() * STEP),
        overlap=float(overlap.sum() * STEP),
        overlap_found=float((overlap & (n_hyp >= 2)).sum() * STEP),
    )
