from __future__ import annotations

import pytest
from bench.diarization import der


def test_perfect_and_swapped_labels_score_zero() -> None:
    reference = [(0.0, 1.0, "x"), (1.0, 2.0, "y")]
    assert der.score(reference, [(0.0, 1.0, "B"), (1.0, 2.0, "A")]).der == 0.0


def test_missed_false_alarm_confusion_and_collar() -> None:
    reference = [(0.0, 2.0, "x"), (2.0, 4.0, "y")]
    one_speaker = der.score(reference, [(0.0, 4.0, "A")])
    assert one_speaker.der == pytest.approx(0.5, abs=0.01)
    late = der.score(reference, [(0.2, 2.0, "A"), (2.0, 4.2, "B")])
    assert late.missed == pytest.approx(0.2, abs=0.02)
    assert late.false_alarm == pytest.approx(0.2, abs=0.02)
    assert der.score(reference, [(0.2, 2.0, "A"), (2.0, 4.2, "B")], collar=0.25).der == 0.0


def test_overlap_counts_each_speaker() -> None:
    reference = [(0.0, 2.0, "x"), (1.0, 3.0, "y")]
    scored = der.score(reference, [(0.0, 2.0, "A"), (2.0, 3.0, "B")])
    assert scored.overlap == pytest.approx(1.0, abs=0.02)
    assert scored.overlap_found == 0.0
    assert scored.missed == pytest.approx(1.0, abs=0.02)
