"""Pieces are cut at the strongest boundary that fits, and none is ever longer than the bound."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from auricle.synthesis.split import pieces


def test_first_piece_is_the_first_clause_then_sentences() -> None:
    text = "Hello there, my friend. This is a test; it works! Another one."
    assert pieces(text) == ["Hello there,", "my friend.", "This is a test; it works!", "Another one."]


def test_paragraph_breaks_cut() -> None:
    assert pieces("One.\n\nTwo\nThree") == ["One.", "Two", "Three"]


def test_a_long_sentence_is_cut_at_clauses_then_words() -> None:
    clause = "and the words go on " * 8
    text = "Start. " + ", ".join([clause.strip()] * 5) + "."
    cut = pieces(text, max_chars=250)
    assert all(len(piece) <= 250 for piece in cut)
    assert all(piece.endswith((",", ".")) for piece in cut[1:])
    assert " ".join(cut).split() == text.split()


def test_unpunctuated_text_is_bounded() -> None:
    text = "word " * 900
    cut = pieces(text, max_chars=250)
    assert max(map(len, cut)) <= 250
    assert len(cut) == 18  # 50 words of 4 letters and a space each
    assert " ".join(cut).split() == text.split()


def test_one_endless_word_is_cut_by_characters() -> None:
    assert [len(piece) for piece in pieces("x" * 1000, max_chars=250)] == [250, 250, 250, 250]


@given(st.text(st.characters(codec="ascii"), max_size=2000), st.integers(20, 400))
def test_never_longer_than_the_bound_and_nothing_lost(text: str, bound: int) -> None:
    cut = pieces(text, max_chars=bound)
    assert all(0 < len(piece) <= bound for piece in cut)
    assert "".join("".join(cut).split()) == "".join(text.split())
