from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from auricle.live.agreement import Agreement


def test_only_words_two_drafts_agree_on_are_said() -> None:
    text = Agreement()
    assert text.draft("And so my fellow America") == ""
    assert text.draft("And so my fellow Americans ask") == "And so my fellow"
    assert text.draft("And so my fellow Americans, ask not") == ""
    assert text.draft("And so my fellow Americans, ask not what") == " Americans, ask not"
    assert text.said == "And so my fellow Americans, ask not"


def test_the_final_text_says_the_rest() -> None:
    text = Agreement()
    text.draft("Ask what you can")
    text.draft("Ask what you can do")
    assert text.final("Ask what you can do for your country.") == " do for your country."


def test_a_final_that_reads_otherwise_says_nothing_more() -> None:
    text = Agreement()
    text.draft("What your country")
    text.draft("What your country can")
    assert text.final("what your country can do for you") == ""
    assert text.said == "What your country"


@given(st.lists(st.text(alphabet="ab ,.", max_size=30), max_size=8), st.text(alphabet="ab ,.", max_size=40))
def test_deltas_always_join_to_what_was_said(drafts: list[str], final: str) -> None:
    text = Agreement()
    pieces = [text.draft(draft) for draft in drafts] + [text.final(final)]
    assert "".join(pieces) == text.said
    assert final.strip().startswith(text.said) or text.said == "".join(pieces[:-1])
