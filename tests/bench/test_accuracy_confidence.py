"""bench.accuracy.confidence: the paired bootstrap of Auricle's WER minus bare's."""

from __future__ import annotations

from bench.accuracy import confidence
from bench.accuracy.scoring import Edits


def _pair(bare: int, auricle: int, words: int = 10) -> tuple[Edits, Edits]:
    return Edits(bare, words, words), Edits(auricle, words, words)


def test_the_difference_is_pooled_over_all_words_in_points() -> None:
    found = confidence.paired([_pair(1, 2, 10)] * 5 + [_pair(0, 0, 30)] * 5)
    assert found is not None
    assert found.points == 100 * 5 / 200


def test_the_same_answers_give_no_difference_and_a_zero_width_interval() -> None:
    found = confidence.paired([_pair(2, 2)] * 20)
    assert found is not None
    assert (found.points, found.low, found.high, found.auricle_not_worse) == (0.0, 0.0, 0.0, 1.0)


def test_one_item_worse_among_many_is_not_a_sure_difference() -> None:
    found = confidence.paired([_pair(0, 1)] + [_pair(1, 1)] * 99)
    assert found is not None
    assert found.points > 0
    assert found.low <= 0 < found.high
    assert 0 < found.auricle_not_worse < 1


def test_worse_on_every_item_is_a_sure_difference() -> None:
    found = confidence.paired([_pair(1, 3)] * 30)
    assert found is not None
    assert found.low > 0
    assert found.auricle_not_worse == 0.0


def test_the_interval_reads_the_same_each_time() -> None:
    pairs = [_pair(i % 3, (i * 7) % 4) for i in range(40)]
    assert confidence.paired(pairs) == confidence.paired(pairs)


def test_too_few_items_or_no_reference_give_no_interval() -> None:
    assert confidence.paired([_pair(0, 1)] * (confidence.MIN_ITEMS - 1)) is None
    assert confidence.paired([_pair(0, 1, words=0)] * 10) is None


def test_described_in_signed_points() -> None:
    found = confidence.Difference(points=0.84, low=-0.5, high=2.1, auricle_not_worse=0.11)
    assert found.describe() == "+0.8 (-0.5 to +2.1)"
