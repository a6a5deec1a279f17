"""Text as people read it aloud, the same for every voice: what an engine would otherwise spell out.

hibari's normaliser (times, dates, units, abbreviations, symbols, phone numbers) runs first; then every
number left is written out with num2words, so Piper, whose espeak-ng reads "$3.50" as "dollar three point
five zero" (notes/speech-synthesis.md 3.5), says "three dollars and fifty cents" as hibari does.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from hibari.g2p.normalize import normalize as hibari_normalize
from num2words import num2words

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)]")
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_SCALE = r"(?:\s?(hundred|thousand|million|billion|trillion))?"
_MONEY = re.compile(rf"([$£€])({_NUM}){_SCALE}\b")
_PERCENT = re.compile(rf"(?<![\w.])(-?{_NUM})\s?(?:%|percent\b)")
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_YEAR = re.compile(r"(?<![\w.,$£€])(1[1-9]\d\d|20\d\d)(s?)(?![\w.,]\d|\d)")
_NUMBER = re.compile(rf"(?<![\w.])(-?)({_NUM})(?![\w])|(?<=[A-Za-z])({_NUM})")
_TITLES = {"Dr": "Doctor", "Mr": "Mister", "Mrs": "Missus"}
_TITLE = re.compile(r"\b(Dr|Mr|Mrs)\b\.? (?=[A-Z])")
_CURRENCY = {"$": ("dollar", "cent"), "£": ("pound", "penny"), "€": ("euro", "cent")}
_PLURAL = {"penny": "pence"}


def clean(text: str) -> str:
    """`text` without control and zero-width characters, its spaces collapsed."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    return re.sub(r"[ \t]+", " ", text).strip()


def normalize(text: str) -> str:
    """`text` as words: what the voice should say."""
    text = _EMAIL.sub(_email, clean(text))
    text = _URL.sub(_url, text)
    text = hibari_normalize(text)
    text = _TITLE.sub(lambda m: _TITLES[m.group(1)] + " ", text)
    text = _MONEY.sub(_money, text)
    text = _PERCENT.sub(lambda m: f"{_words(m.group(1))} percent", text)
    text = _ORDINAL.sub(lambda m: _plain(num2words(int(m.group(1)), to="ordinal")), text)
    text = _YEAR.sub(_year, text)
    text = _NUMBER.sub(_number, text)
    return re.sub(r"\s+", " ", text).strip()


def _plain(words: str) -> str:
    # "one million, two hundred and thirty-four": commas would cut the number into clauses.
    return words.replace(",", "").replace(" and ", " ")


def _words(number: str) -> str:
    value = Decimal(number.replace(",", ""))
    return _plain(num2words(value))


def _money(match: re.Match[str]) -> str:
    unit, sub_unit = _CURRENCY[match.group(1)]
    amount, scale = match.group(2).replace(",", ""), match.group(3)
    if scale:
        return f"{_words(amount)} {scale} {unit}s"
    whole, _, fraction = amount.partition(".")
    cents = int((fraction + "00")[:2]) if fraction else 0
    spoken = f"{_words(whole)} {_unit(unit, int(whole))}"
    if cents:
        spoken += f" and {_words(str(cents))} {_unit(sub_unit, cents)}"
    return spoken


def _unit(word: str, count: int) -> str:
    if count == 1:
        return word
    return _PLURAL.get(word, word + "s")


def _year(match: re.Match[str]) -> str:
    spoken = _plain(num2words(int(match.group(1)), to="year"))
    if match.group(2):
        return spoken[:-1] + "ies" if spoken.endswith("y") else spoken + "s"
    return spoken


def _number(match: re.Match[str]) -> str:
    if match.group(3):
        return " " + _words(match.group(3))
    sign = "minus " if match.group(1) else ""
    return sign + _words(match.group(2))


def _email(match: re.Match[str]) -> str:
    return f"{_dotted(match.group(1))} at {_dotted(match.group(2))}"


def _url(match: re.Match[str]) -> str:
    address = re.sub(r"^(?:https?://)?(?:www\.)?", "", match.group(0))
    host, _, path = address.partition("/")
    spoken = _dotted(host)
    for part in filter(None, path.split("/")):
        spoken += " slash " + _dotted(part)
    return spoken


def _dotted(part: str) -> str:
    return " dot ".join(re.sub(r"[-_]", " ", piece) for piece in part.split(".") if piece)
