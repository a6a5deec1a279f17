"""The transcript comparison the accuracy tests and the benchmark share."""

from __future__ import annotations

import pytest

from tests.support.text import normalize, word_error_rate


@pytest.mark.parametrize("transcript", ["two nine three four zero", "29340", "2 9 3 4 0.", "293-4-0"])
def test_a_digit_string_reads_the_same_however_it_is_spaced(transcript: str) -> None:
    assert normalize(transcript) == "29340"


def test_numbers_separated_by_words_stay_apart() -> None:
    assert normalize("Ten of clubs, four of hearts.") == "10 of clubs 4 of hearts"


def test_word_error_rate_is_over_normalised_words() -> None:
    assert word_error_rate(["ten of clubs"], ["10 of clothes."]) == pytest.approx(1 / 3)
