"""Numbers written in digits spelled out in words, before scoring a language other than English.

Whisper writes a number as "3" in one window and "tres" in the next, and references do either: the
Asterisk prompt lists say "14e" where the voice says "quatorzième" (../shared/corpus/README.md advises
normalising numbers). Whisper's English normaliser already handles English; for the other languages
num2words spells out plain integers, the same way on both sides of a comparison. Ordinals, decimals and
languages num2words lacks (bg, el, ml) are left as they are.
"""

from __future__ import annotations

import re

from num2words import CONVERTER_CLASSES, num2words

_INTEGER = re.compile(r"(?<![\w.,])\d+(?!\w)(?![.,]\d)")
LARGEST = 10**12
"""Longer digit strings are codes or phone numbers, read digit by digit; they are left alone."""


def spelled_out(text: str, language: str) -> str:
    """`text` with every plain integer written in `language`'s words, where num2words knows it."""
    if language not in CONVERTER_CLASSES or language == "en":
        return text

    def words(match: re.Match[str]) -> str:
        value = int(match.group())
        return str(num2words(value, lang=language)) if value < LARGEST else match.group()

    return _INTEGER.sub(words, text)
