"""Whisper's languages: every code faster-whisper knows, named as OpenAI names them."""

from __future__ import annotations

import pytest
from faster_whisper.tokenizer import _LANGUAGE_CODES

from auricle.engine.languages import LANGUAGE_NAMES, REQUEST_LANGUAGES, language_name


def test_codes_are_exactly_faster_whispers() -> None:
    assert set(LANGUAGE_NAMES) == set(_LANGUAGE_CODES)
    assert len(LANGUAGE_NAMES) == len(_LANGUAGE_CODES)


def test_request_languages_are_exactly_the_two_letter_codes() -> None:
    assert {code for code in LANGUAGE_NAMES if len(code) == 2} == REQUEST_LANGUAGES
    assert all(len(code) == 2 for code in REQUEST_LANGUAGES)
    assert {"haw", "yue"}.isdisjoint(REQUEST_LANGUAGES)
    assert {"en", "de", "zh", "ja", "jw"} <= REQUEST_LANGUAGES


def test_names_are_lowercase_and_unique() -> None:
    names = list(LANGUAGE_NAMES.values())

    assert all(name == name.lower() == name.strip() and name for name in names)
    assert len(set(names)) == len(names)


def test_codes_are_lowercase() -> None:
    assert all(code == code.lower() and code.isalpha() for code in LANGUAGE_NAMES)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("en", "english"),
        ("de", "german"),
        ("zh", "chinese"),
        ("ja", "japanese"),
        ("nn", "nynorsk"),
        ("ht", "haitian creole"),
        ("my", "myanmar"),
        ("jw", "javanese"),
        ("haw", "hawaiian"),
        ("yue", "cantonese"),
    ],
)
def test_language_name(code: str, name: str) -> None:
    assert LANGUAGE_NAMES[code] == name
    assert language_name(code) == name


def test_unknown_code_falls_back_to_itself() -> None:
    assert language_name("xx") == "xx"
