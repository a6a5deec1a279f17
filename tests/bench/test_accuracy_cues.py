"""Segment lengths per side, over the items longer than 20 s."""

from __future__ import annotations

from bench.accuracy.cues import cue_table
from bench.accuracy.items import Item, Kind
from bench.accuracy.outcome import Outcome, score
from bench.accuracy.sides import AURICLE, BARE, Answer, Segment


def outcome(duration: float, bare: list[tuple[float, float]], auricle: list[tuple[float, float]]) -> Outcome:
    item = Item("src:a", "src", "en", "a b", Kind.LONG, "a.wav", b"a", duration)

    def answer(pairs: list[tuple[float, float]]) -> Answer:
        return Answer("a b", "en", tuple(Segment(start, end, "a") for start, end in pairs), (), 1.0)

    return Outcome(item, {BARE: score(item, answer(bare), True), AURICLE: score(item, answer(auricle), True)})


def test_long_cues_are_counted_per_side_on_items_over_20_seconds() -> None:
    long = outcome(60.0, [(0, 4), (4, 9), (9, 12)], [(0, 4), (4, 30)])
    short = outcome(10.0, [(0, 10)], [(0, 10)])  # under 20 s: latency items, not counted
    table = cue_table([long, short])
    assert table[0].startswith("| side (1 items over 20 s)")
    assert table[2] == "| bare | 3 | 4.0 s | 5.0 s | 0 |"
    assert table[3] == "| auricle | 2 | 15.0 s | 26.0 s | 1 |"


def test_no_table_without_long_items() -> None:
    assert cue_table([outcome(10.0, [(0, 10)], [(0, 10)])]) == []
