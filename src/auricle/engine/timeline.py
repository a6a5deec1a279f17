"""A transcript's times made consistent: inside the audio, in order, never overlapping.

Whisper's timestamps are predictions, and word timestamps come from a separate alignment, so either can
fall past the end of the audio (10.0 s on an 8.24 s file) or before the end of the segment before
(a segment from 25.696 s after one that ends at 27.0 s), and subtitles would then overlap on screen or
outlast the video. Every transcript goes through `tidy` before it reaches a format: times are clamped,
never reordered or dropped, so the text stays exactly as decoded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from auricle.engine.transcript import Segment, Word


def numbered(segments: Iterable[Segment]) -> tuple[Segment, ...]:
    """`segments` with their ids counted from 0, in order, as the formats number them."""
    return tuple(replace(segment, id=index) for index, segment in enumerate(segments))


def tidy(segments: Iterable[Segment], start: float, end: float) -> list[Segment]:
    """`segments` with every time inside [start, end], each segment starting where the one before ends
    at the earliest, and each word inside its segment and after the word before it."""
    tidied: list[Segment] = []
    earliest = start
    for segment in segments:
        begins = _within(segment.start, earliest, end)
        ends = _within(segment.end, begins, end)
        words = _tidy_words(segment.words, begins, ends)
        tidied.append(replace(segment, start=begins, end=ends, words=words))
        earliest = ends
    return tidied


def _tidy_words(words: Iterable[Word], start: float, end: float) -> tuple[Word, ...]:
    tidied: list[Word] = []
    earliest = start
    for word in words:
        begins = _within(word.start, earliest, end)
        ends = _within(word.end, begins, end)
        tidied.append(replace(word, start=begins, end=ends))
        earliest = ends
    return tuple(tidied)


def _within(value: float, low: float, high: float) -> float:
    return round(min(max(value, low), high), 3)
