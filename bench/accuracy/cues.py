"""How long each side's segments are: a segment is a subtitle cue, and one of 20 s cannot be read.

Whisper ends a segment at each sentence or pause, 3-8 s on speech; a prompt of bare text (no timestamps)
once led Auricle to write whole 22-26 s spans as one segment, which no other check caught: such a
segment is inside the audio and in order, only useless on screen.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from bench.accuracy.groups import speed_split
from bench.accuracy.outcome import Outcome
from bench.accuracy.sides import AURICLE, BARE

LONG_CUE_SECONDS = 15.0
"""Longer than any sentence said without a pause in the corpus's long recordings (bare's longest: 7.4 s)."""


def cue_table(outcomes: Sequence[Outcome]) -> list[str]:
    """Per side, over the items longer than 20 s: segments, their median and longest length, and how
    many are longer than `LONG_CUE_SECONDS`."""
    long, _ = speed_split([o for o in outcomes if o.item.is_speech])
    rows = [_row(side, long) for side in (BARE, AURICLE) if any(side in o.results for o in long)]
    if not rows:
        return []
    over = f"over {LONG_CUE_SECONDS:.0f} s"
    header = f"| side ({len(long)} items over 20 s) | segments | median | longest | {over} |"
    return [header, "|---|---:|---:|---:|---:|", *rows]


def _row(side: str, outcomes: Sequence[Outcome]) -> str:
    lengths = [
        segment.end - segment.start
        for outcome in outcomes
        if side in outcome.results
        for segment in outcome.results[side].answer.segments
    ]
    if not lengths:
        return f"| {side} | 0 | - | - | 0 |"
    over = sum(length > LONG_CUE_SECONDS for length in lengths)
    median, longest = statistics.median(lengths), max(lengths)
    return f"| {side} | {len(lengths)} | {median:.1f} s | {longest:.1f} s | {over} |"
