"""Sanity of an answer's timestamps: inside the audio, each span forwards, spans in order.

Subtitles made from segments that overlap, run backwards or past the end of the audio break players
and editors, so any such segment is a fault whatever the words say. A pure function of the spans.
"""

from __future__ import annotations

from collections.abc import Sequence

from bench.accuracy.sides import Segment

TOLERANCE_SECONDS = 0.05
"""Rounding (timestamps come in 0.02 s steps, the JSON rounds to ms) and decoders that differ by a frame."""


def violations(spans: Sequence[Segment], duration: float, what: str = "segment") -> list[str]:
    """Every fault of `spans` against audio of `duration` seconds, one line each ("segment 3: ...")."""
    found: list[str] = []
    previous: Segment | None = None
    for index, span in enumerate(spans):
        name = f"{what} {index} [{span.start:.2f}-{span.end:.2f}]"
        if span.start < 0:
            found.append(f"{name}: starts before 0")
        if span.end > duration + TOLERANCE_SECONDS:
            found.append(f"{name}: ends after the audio ({duration:.2f} s)")
        if span.end < span.start:
            found.append(f"{name}: ends before it starts")
        if previous is not None:
            if span.start < previous.start:
                found.append(f"{name}: out of order (the one before starts at {previous.start:.2f})")
            elif span.start < previous.end - TOLERANCE_SECONDS:
                found.append(f"{name}: overlaps the one before (which ends at {previous.end:.2f})")
        previous = span
    return found


def answer_violations(segments: Sequence[Segment], words: Sequence[Segment], duration: float) -> list[str]:
    """The segments' faults, then the words' where the answer has words."""
    return violations(segments, duration) + violations(words, duration, "word")
