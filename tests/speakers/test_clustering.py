from __future__ import annotations

import numpy as np

from auricle.speakers import clustering
from auricle.speakers.clustering import Count


def _voices(counts: list[int], seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(counts), 256))
    rows = [centres[k] + rng.normal(scale=0.5, size=(n, 256)) for k, n in enumerate(counts)]
    return np.concatenate(rows).astype(np.float32)


def test_automatic_count_and_hints() -> None:
    points = _voices([30, 20, 10])
    assert clustering.cluster(points, Count(), 0.45).max() + 1 == 3
    assert clustering.cluster(points, Count(exact=2), 0.45).max() + 1 == 2
    assert clustering.cluster(points, Count(maximum=2), 0.45).max() + 1 == 2
    assert clustering.cluster(points, Count(minimum=4), 0.45).max() + 1 == 4


def test_labels_follow_first_appearance() -> None:
    labels = clustering.cluster(_voices([5, 5]), Count(), 0.45)
    assert labels.tolist() == [0] * 5 + [1] * 5


def test_long_input_is_pooled_and_keeps_identities() -> None:
    points = _voices([1500, 900, 600], seed=1)
    labels = clustering.cluster(points, Count(), 0.45)
    assert len(labels) == 3000
    assert labels.max() + 1 == 3
    assert len(set(labels[:1500].tolist())) == 1
    assert labels[0] != labels[1500] != labels[2400]
