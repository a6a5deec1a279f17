"""A segment too long for a subtitle, cut after its sentences and clauses by the times of its words.

Whisper sometimes writes a whole span as one segment with no timestamp inside it: the first span of
`multilingual.mp3` came back as one 25.6 s segment of 468 characters, an unreadable cue, and bare
faster-whisper does the same given that span alone (its five segments of at most 5.8 s come from a
window that runs on into the next speech). A segment over `LONGEST_SECONDS` is cut after each of its
sentences, and a sentence longer than `CUE_SECONDS` after a clause, at the end of its last word,
where word times are known (`reader.py` asks for them again for such a span only). Cut so, that
span of `multilingual.mp3` is five segments of 2.1-6.9 s.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace

from auricle.engine.transcript import Segment, Word

LONGEST_SECONDS = 12.0
"""Bare faster-whisper's longest segment on the corpus's 7 long recordings was 7.4 s (median 2.6 s);
a span with a longer one is decoded twice, so the bound is set above what Whisper usually writes."""
CUE_SECONDS = 7.0
"""What a sentence of such a segment is cut down to, after its clauses: about bare's longest."""
SENTENCE_ENDS = (".", "!", "?", "\u3002", "\uff01", "\uff1f", "\u2026")
"""Full stops, exclamation and question marks, the ideographic and full-width ones, an ellipsis."""
CLAUSE_ENDS = (",", ";", ":", "\u3001", "\uff0c", "\uff1b", "\uff1a")
"""Commas, semicolons and colons, and their ideographic and full-width forms."""
TIME_PRECISION = 0.02
"""Seconds per Whisper timestamp token."""


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(SENTENCE_ENDS)


def ends_clause(text: str) -> bool:
    return ends_sentence(text) or text.rstrip().endswith(CLAUSE_ENDS)


def too_long(segment: Segment) -> bool:
    return segment.end - segment.start > LONGEST_SECONDS


def pieces(words: Sequence[Word]) -> list[tuple[Word, ...]]:
    """`words` cut after each sentence, and a sentence longer than `CUE_SECONDS` cut again after the
    last clause that keeps it shorter (or, with none, in its longest pause between words)."""
    runs: list[tuple[Word, ...]] = []
    current: list[Word] = []
    for word in words:
        current.append(word)
        if ends_sentence(word.word):
            runs.append(tuple(current))
            current = []
        elif len(current) > 1 and current[-1].end - current[0].start > CUE_SECONDS:
            cut = _cut(current[:-1])
            runs.append(tuple(current[: cut + 1]))
            current = current[cut + 1 :]
    if current:
        runs.append(tuple(current))
    return runs


def _cut(words: Sequence[Word]) -> int:
    """Where to end a piece of `words`: after its last clause, else before its longest pause."""
    clauses = [index for index, word in enumerate(words) if ends_clause(word.word)]
    if clauses:
        return clauses[-1]
    gaps = [after.start - before.end for before, after in itertools.pairwise(words)]
    return max(range(len(gaps)), key=gaps.__getitem__) if gaps else len(words) - 1


def at_sentences(
    segment: Segment, tokens_of: Callable[[str], list[int]], timestamp_begin: int
) -> list[Segment]:
    """`segment` in `pieces` when it is `too_long` and has word times, else `[segment]`.

    Each part's tokens are its text's, between timestamps where the part starts and ends in its window,
    as Whisper writes a segment, so the span after it is prompted with timed text (`chain.py`)."""
    runs = pieces(segment.words)
    if not too_long(segment) or len(runs) < 2:
        return [segment]
    window = segment.seek / 100  # seek is in 10 ms frames

    def stamp(seconds: float) -> int:
        return timestamp_begin + min(1500, max(0, round((seconds - window) / TIME_PRECISION)))

    parts = []
    for index, run in enumerate(runs):
        start = segment.start if index == 0 else run[0].start
        end = segment.end if index == len(runs) - 1 else run[-1].end
        text = "".join(word.word for word in run)
        tokens = (stamp(start), *tokens_of(text), stamp(end))
        parts.append(replace(segment, start=start, end=end, text=text, tokens=tokens, words=run))
    return parts
