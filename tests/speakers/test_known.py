from __future__ import annotations

import numpy as np

from auricle.speakers.known import match
from auricle.speakers.turns import letters


def test_one_to_one_and_only_when_near() -> None:
    voices = np.eye(3)
    references = np.array([[0.0, 1.0, 0.0], [0.0, 0.9, 0.1]])
    references /= np.linalg.norm(references, axis=1, keepdims=True)
    # Both references are nearest voice 1; only one may take it, and the other is far from the rest.
    assert match(voices, references, 0.4) == {1: 0}


def test_letters() -> None:
    assert letters(3) == ["A", "B", "C"]
    assert letters(28)[-2:] == ["AA", "AB"]
