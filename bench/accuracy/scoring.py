"""Scoring one transcript against its reference: normalised word (or character) errors, loops, and
words invented on audio that holds no speech. Pure functions: no model, no files."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import jiwer
from tests.support.text import normalize as normalize_english
from whisper_normalizer.basic import BasicTextNormalizer

from bench.accuracy.numbers import spelled_out

# Scored by characters, as Whisper's authors score them: these scripts do not put spaces between words.
CHARACTER_LANGUAGES = frozenset({"zh", "yue", "ja", "th", "lo", "my"})
# A hypothesis this much longer than its reference is a decoding loop, not a few wrong words.
LOOP_FACTOR = 2
LOOP_MARGIN = 5
# What models answer music and noise with: note symbols, and tags in brackets, parentheses or asterisks.
_MUSIC_SYMBOLS = re.compile(r"[♩♪♫♬🎵🎶🎼]")
_TAGS = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*[^*]*\*")


@functools.cache
def _basic() -> BasicTextNormalizer:
    # preserve_marks: the default drops every Unicode mark, which in Malayalam is most vowel signs;
    # Latin, Cyrillic and Greek letters come precomposed (NFKC) and keep their accents either way.
    return BasicTextNormalizer(preserve_marks=True)


def normalize(text: str, language: str) -> str:
    """Whisper's English normaliser (digits run together) for English, its basic one otherwise, with
    numbers in digits spelled out in words first (`numbers.py`)."""
    if language == "en":
        return normalize_english(text)
    return " ".join(str(_basic()(spelled_out(text, language))).split())


def units(text: str, language: str) -> list[str]:
    """What errors are counted in: words, or characters (spaces dropped) where words are not spaced."""
    normalized = normalize(text, language)
    if language in CHARACTER_LANGUAGES:
        return [char for char in normalized if not char.isspace()]
    return normalized.split()


@dataclass(frozen=True)
class Edits:
    errors: int
    """Substitutions, deletions and insertions."""
    reference: int
    """Reference words (or characters)."""
    hypothesis: int
    deletions: int = 0
    insertions: int = 0

    @property
    def rate(self) -> float | None:
        return self.errors / self.reference if self.reference else None

    @property
    def is_loop(self) -> bool:
        return self.hypothesis > LOOP_FACTOR * self.reference + LOOP_MARGIN


def edits(reference: str, hypothesis: str, language: str) -> Edits:
    ref, hyp = units(reference, language), units(hypothesis, language)
    if not ref or not hyp:  # every word inserted, or every word deleted
        return Edits(len(hyp) or len(ref), len(ref), len(hyp), deletions=len(ref), insertions=len(hyp))
    # Characters are joined with spaces, so jiwer's word alignment aligns characters.
    out = jiwer.process_words(" ".join(ref), " ".join(hyp))
    errors = out.substitutions + out.deletions + out.insertions
    return Edits(errors, len(ref), len(hyp), deletions=out.deletions, insertions=out.insertions)


def words_cut_off(before: str, after: str, language: str) -> int:
    """How many of `before`'s last words (or characters) `after` leaves out: the words deleted after the
    last one the two have in common. A transcript that stops early (truncated) leaves out more than one."""
    first, second = units(before, language), units(after, language)
    if not first:
        return 0
    if not second:
        return len(first)
    out = jiwer.process_words(" ".join(first), " ".join(second))
    last_kept = max(
        (chunk.ref_end_idx for chunk in out.alignments[0] if chunk.type != "delete"),
        default=0,
    )
    return len(first) - last_kept


def hits(reference: str, hypothesis: str, language: str) -> set[int]:
    """The positions of the reference's words (or characters) that `hypothesis` reads right."""
    return _matched(units(reference, language), units(hypothesis, language))[0]


def right_words_cut_off(before: str, after: str, reference: str, language: str) -> int:
    """Of the words `words_cut_off` counts, those `before` read right (aligned as hits against the
    reference): a shorter answer that leaves out only bare's invented words has lost nothing."""
    lost = words_cut_off(before, after, language)
    if not lost:
        return 0
    first = units(before, language)
    right = _matched(units(reference, language), first)[1]
    return sum(1 for index in range(len(first) - lost, len(first)) if index in right)


def _matched(truth: list[str], said: list[str]) -> tuple[set[int], set[int]]:
    """The positions aligned as equal between the two, in `truth` and in `said`."""
    if not truth or not said:
        return set(), set()
    out = jiwer.process_words(" ".join(truth), " ".join(said))
    equal = [chunk for chunk in out.alignments[0] if chunk.type == "equal"]
    return (
        {i for chunk in equal for i in range(chunk.ref_start_idx, chunk.ref_end_idx)},
        {i for chunk in equal for i in range(chunk.hyp_start_idx, chunk.hyp_end_idx)},
    )


def pooled_rate(scores: Iterable[Edits]) -> float | None:
    """All errors over all reference words: long items weigh by their length, as in a corpus WER, and
    a one-word clip with one error does not count as much as a long one with a hundred."""
    errors = reference = 0
    for score in scores:
        errors += score.errors
        reference += score.reference
    return errors / reference if reference else None


@dataclass(frozen=True)
class Invented:
    """What a side said about audio with no speech in it, whose right transcript is ""."""

    words: int
    """Words of the answer, Whisper's basic normaliser applied, each music symbol or tag one word."""
    words_without_tags: int
    """The same with music symbols and tags (in brackets, parentheses or asterisks) dropped."""

    @property
    def answered(self) -> bool:
        return self.words > 0

    @property
    def answered_without_tags(self) -> bool:
        return self.words_without_tags > 0


def invented(hypothesis: str) -> Invented:
    # Both counts go through the same normaliser, so they differ by the tags alone. (The normaliser on
    # its own drops bracketed tags and symbols, but splits "P.O.K.E." into four words.)
    def words(tag: str) -> int:
        text = _TAGS.sub(tag, _MUSIC_SYMBOLS.sub(tag, hypothesis))
        return len(str(_basic()(text)).split())

    return Invented(words(" tag "), words(" "))


# Frequent words that only one of the two languages has, to tell German from English (or from an English
# translation of it) without a language model.
GERMAN_FUNCTION_WORDS = frozenset(
    "der die das und ist nicht ein eine zu mit von für auf dem den des sich oder".split()  # noqa: SIM905
)
ENGLISH_FUNCTION_WORDS = frozenset("the and is not a an to with of for on that or this it".split())  # noqa: SIM905


def share_of(text: str, words: frozenset[str]) -> float | None:
    """The share of `text`'s words (basic-normalised) that are in `words`; None for no words."""
    found = str(_basic()(text)).split()
    return sum(word in words for word in found) / len(found) if found else None
