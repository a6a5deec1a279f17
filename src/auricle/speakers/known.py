"""Known speakers: each reference clip's voice, matched one-to-one to the voices found.

One-to-one (unlike speaches, which maps every voice to its nearest reference, so two voices can both
become "agent"), and only under `max_distance`: a voice no reference is near keeps a letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Reference:
    name: str
    samples: npt.NDArray[np.float32]
    """16 kHz mono."""


def match(voices: Vectors, references: Vectors, max_distance: float) -> dict[int, int]:
    """voice index -> reference index, maximising the summed similarity of the accepted pairs."""
    if len(voices) == 0 or len(references) == 0:
        return {}
    similarity = voices @ references.T
    accepted = similarity >= 1.0 - max_distance
    best: dict[int, int] = {}
    best_score = 0.0
    for pairing in _pairings(len(voices), len(references)):
        kept = {v: r for v, r in pairing.items() if accepted[v, r]}
        score = float(sum(similarity[v, r] for v, r in kept.items()))
        if score > best_score:
            best, best_score = kept, score
    return best


def _pairings(voices: int, references: int) -> list[dict[int, int]]:
    """Every one-to-one pairing; at most 8 voices and 4 references give 1,680."""
    if voices >= references:
        return [
            {chosen[r]: r for r in range(references)} for chosen in permutations(range(voices), references)
        ]
    return [{v: chosen[v] for v in range(voices)} for chosen in permutations(range(references), voices)]
