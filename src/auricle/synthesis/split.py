"""Normalised text cut into the pieces a voice synthesises one at a time.

Sentences, then clauses of a sentence too long, then words, then characters: a voice runs a piece in one
go, so its time and memory grow with the piece. 4,000 unpunctuated characters as one piece took Piper 65 s
to its first audio and 4.9 GB (notes/speech-synthesis.md 3.3); pieces of at most `max_chars` bound both.
The first piece is the first clause only, so the first audio leaves as early as it can.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"\u201d\u2019)\]]*\s+|\n\s*")
# Commas, semicolons, colons and the em and en dashes.
_CLAUSE_END = re.compile(r"(?<=[,;:\u2014\u2013])\s+")
# About 400 phonemes, the most hibari takes at once (its own MAX_PHONEMES).
DEFAULT_MAX_CHARS = 250


def pieces(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[str]:
    """`text` as pieces of at most `max_chars` characters, cut at the strongest boundary that fits."""
    out: list[str] = []
    for number, sentence in enumerate(_split(_SENTENCE_END, text)):
        rest = sentence
        if number == 0:
            first, _, rest = _first_clause(sentence)
            out.extend(_bounded(first, max_chars))
        if rest:
            out.extend(_bounded(rest, max_chars))
    return out


def _first_clause(sentence: str) -> tuple[str, str, str]:
    clauses = _split(_CLAUSE_END, sentence)
    if len(clauses) < 2:
        return sentence, "", ""
    return clauses[0], " ", " ".join(clauses[1:])


def _bounded(sentence: str, max_chars: int) -> Iterator[str]:
    if len(sentence) <= max_chars:
        yield sentence
        return
    yield from _packed(_split(_CLAUSE_END, sentence), max_chars, _words)


def _words(clause: str, max_chars: int) -> Iterator[str]:
    yield from _packed(clause.split(), max_chars, _characters)


def _characters(word: str, max_chars: int) -> Iterator[str]:
    for start in range(0, len(word), max_chars):
        yield word[start : start + max_chars]


def _packed(parts: list[str], max_chars: int, finer: Callable[[str, int], Iterator[str]]) -> Iterator[str]:
    """Consecutive `parts` joined by spaces while they fit; a part too long on its own is cut finer."""
    current = ""
    for part in parts:
        if len(part) > max_chars:
            if current:
                yield current
                current = ""
            yield from finer(part, max_chars)
        elif current and len(current) + 1 + len(part) > max_chars:
            yield current
            current = part
        else:
            current = f"{current} {part}" if current else part
    if current:
        yield current


def _split(pattern: re.Pattern[str], text: str) -> list[str]:
    return [part.strip() for part in pattern.split(text) if part and part.strip()]
