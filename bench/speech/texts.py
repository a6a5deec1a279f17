"""The texts the speech bench reads: one sentence, and 4,096-character paragraphs with and without
punctuation."""

from __future__ import annotations

SENTENCE = "The quick brown fox jumps over the lazy dog, and then it runs away into the woods."
_PROSE = (
    "The library opened its doors at nine o'clock, and a small crowd was already waiting outside. "
    "On the 3rd of March, 1,250 visitors paid $9.99 each to hear the lecture on ancient maps. "
    "Dr. Patel explained how sailors measured distance, speed and time without modern tools. "
    "Some of the charts were drawn by hand, and their errors were surprisingly small; others were "
    "little more than guesses. After the talk, questions went on for almost an hour. "
    "A student asked whether the old routes are still used today, and the answer was yes, in part. "
    "The museum plans to put 40% of its collection online by 2027, starting with the rarest pieces. "
)
MAX_CHARS = 4096


def paragraph(max_chars: int = MAX_CHARS) -> str:
    """Real prose repeated and cut at the last word that fits `max_chars`."""
    text = _PROSE * (max_chars // len(_PROSE) + 1)
    return text[: text.rfind(" ", 0, max_chars)].strip()


def unpunctuated(max_chars: int = MAX_CHARS) -> str:
    """The same prose with no punctuation at all: the case a sentence splitter cannot cut."""
    kept = "".join(c for c in paragraph(max_chars) if c.isalnum() or c == " ")
    return " ".join(kept.split())
