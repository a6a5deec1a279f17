"""Comparing transcripts the way Whisper's authors do: normalised, then word error rate."""

from __future__ import annotations

import functools

import jiwer
from whisper_normalizer.english import EnglishTextNormalizer


@functools.cache
def _normalizer() -> EnglishTextNormalizer:
    return EnglishTextNormalizer()


def normalize(text: str) -> str:
    return str(_normalizer()(text))


def word_error_rate(references: list[str], hypotheses: list[str]) -> float:
    return float(jiwer.wer([normalize(r) for r in references], [normalize(h) for h in hypotheses]))
