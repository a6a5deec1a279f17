"""Chains of spans, and the text before that prompts each span of a chain."""

from __future__ import annotations

import pytest

from auricle.engine.chain import (
    CONTEXT_TOKENS,
    COPIED_TOKENS,
    Chain,
    Context,
    chained,
    context_after,
    copied,
    prompted,
)
from auricle.engine.speech import Span
from auricle.engine.transcript import Segment

TIMESTAMP_BEGIN = 50_364


def segment(tokens: tuple[int, ...], temperature: float = 0.0, text: str = " words") -> Segment:
    return Segment(0, 0, 0.0, 1.0, text, tokens, temperature, -0.2, 1.2, 0.01)


def test_spans_are_chained_in_order_two_by_two() -> None:
    spans = [Span(index * 100, index * 100 + 50) for index in range(5)]
    chains = chained(spans)
    assert chains == [
        Chain(0, (spans[0], spans[1])),
        Chain(2, (spans[2], spans[3])),
        Chain(4, (spans[4],)),
    ]
    assert [chain.samples for chain in chains] == [100, 100, 50]
    assert chained(spans, 1) == [Chain(index, (span,)) for index, span in enumerate(spans)]
    assert chained([]) == []
    with pytest.raises(ValueError, match="at least one"):
        chained(spans, 0)


def test_context_keeps_the_last_tokens_with_their_timestamps() -> None:
    # As faster-whisper prompts a window: text without timestamps before led Whisper to write none.
    stamp = TIMESTAMP_BEGIN + 10
    segments = [segment((stamp, 1, 2, 3, stamp + 5)), segment((stamp + 5, 4, 5, stamp + 9))]
    found = context_after(segments, "en", TIMESTAMP_BEGIN)
    assert found == Context((stamp, 1, 2, 3, stamp + 5, stamp + 5, 4, 5, stamp + 9), "en")
    many = [segment(tuple(range(1, 200)))]
    kept = context_after(many, "de", TIMESTAMP_BEGIN)
    assert kept is not None
    assert kept.tokens == tuple(range(200 - CONTEXT_TOKENS, 200))
    assert kept.language == "de"


def test_no_context_after_sampled_text_or_no_text() -> None:
    # As faster-whisper's prompt_reset_on_temperature: text decoded hotter than 0.5 prompts nothing.
    assert context_after([segment((1, 2)), segment((3,), temperature=0.6)], "en", TIMESTAMP_BEGIN) is None
    assert context_after([segment((1, 2), temperature=0.4)], "en", TIMESTAMP_BEGIN) is not None
    assert context_after([], "en", TIMESTAMP_BEGIN) is None
    assert context_after([segment((TIMESTAMP_BEGIN,))], "en", TIMESTAMP_BEGIN) is None


def test_the_text_before_prompts_only_a_span_in_its_language() -> None:
    context = Context((7, 8, 9), "en")
    assert prompted(context, "en", []) == [7, 8, 9]
    assert prompted(context, "en", [1, 2]) == [1, 2, 7, 8, 9]  # the request's prompt first
    assert prompted(context, "de", [1, 2]) is None
    assert prompted(None, "en", [1, 2]) is None


def test_text_that_opens_with_its_prompts_words_copied_them() -> None:
    # The Spanish menu's last span: the 19 words before it, written again, then its own five.
    stamp = TIMESTAMP_BEGIN + 3
    before = Context((stamp, *range(100, 130), stamp + 40), "es")
    again = segment((stamp, *range(112, 112 + COPIED_TOKENS), 900, 901, stamp + 20))
    assert copied(before, [again], TIMESTAMP_BEGIN)
    # Split over two segments, timestamps between them: still the prompt's words in a row.
    halves = [segment((stamp, 112, 113, 114, stamp + 2)), segment((stamp + 2, *range(115, 125), stamp + 9))]
    assert copied(before, halves, TIMESTAMP_BEGIN)


def test_text_that_shares_fewer_words_with_its_prompt_is_its_own() -> None:
    stamp = TIMESTAMP_BEGIN + 3
    before = Context((stamp, *range(100, 130), stamp + 40), "es")
    # A phrase said again ("por favor ingrese su ...") but fewer than COPIED_TOKENS in a row.
    own = segment((stamp, *range(100, 100 + COPIED_TOKENS - 1), 900, 901, stamp + 20))
    assert not copied(before, [own], TIMESTAMP_BEGIN)
    assert not copied(before, [segment((stamp, 101, 102, stamp + 2))], TIMESTAMP_BEGIN)  # too short to tell
    assert not copied(None, [own], TIMESTAMP_BEGIN)
