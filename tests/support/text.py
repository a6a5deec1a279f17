"""Comparing transcripts the way Whisper's authors do: normalised, then word error rate."""

from __future__ import annotations

import functools
import re

import jiwer
from whisper_normalizer.english import EnglishTextNormalizer


@functools.cache
def _normalizer() -> EnglishTextNormalizer:
    return EnglishTextNormalizer()


# Whisper's normaliser turns "two nine three four zero" into "29340" but leaves a transcript's "2 9 3 4 0"
# or "293-4-0" in pieces, so the same digits scored 3 or 5 errors depending on spacing.
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s-]+(?=\d)")


def normalize(text: str) -> str:
    """Whisper's English normaliser, then digits run together: a spoken digit string has no spaces."""
    return _BETWEEN_DIGITS.sub("", str(_normalizer()(text)))


def word_error_rate(references: list[str], hypotheses: list[str]) -> float:
    return float(jiwer.wer([normalize(r) for r in references], [normalize(h) for h in hypotheses]))
