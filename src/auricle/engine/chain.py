"""Spans in short chains: each chain's spans decoded in order, each prompted with the text before it.

faster-whisper decodes a recording window after window, each conditioned on the previous window's text,
so a long recording keeps one style ("1234" or "1, 2, 3, 4"), its names' spelling and its context.
Auricle decodes spans side by side (`whisper.py`), which alone would lose that. A chain is the middle
way: consecutive spans, decoded one after another and prompted as faster-whisper prompts a window,
while the chains run side by side. On the corpus's 7 long recordings of continuous speech (base, 2-core
Xeon, one run each): spans alone 30.1% WER, chains of 2 spans 29.7% at the same speed (12.3x against
12.7x), two chains per recording 29.5% at 10.4x (too few windows at once to keep both workers busy);
bare faster-whisper, conditioned all the way, 30.0% at 7.6x.

The text before is left out where it would mislead, as faster-whisper leaves it out:
- when it was decoded at a temperature over 0.5 (`prompt_reset_on_temperature`): sampled text is
  likelier wrong, and a prompt with a loop in it invites the loop again;
- when the span before was in another language: a German span prompted with English text came back
  as an English paraphrase.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from auricle.engine.speech import Span
from auricle.engine.transcript import Segment

CHAIN_SPANS = 2
"""Spans per chain: every other span gets the text before it, and a recording's windows still keep
both of two workers busy (chains of 2 cost no measurable speed, two long chains cost a fifth)."""
PROMPT_RESET_TEMPERATURE = 0.5
CONTEXT_TOKENS = 64
COPIED_TOKENS = 8
"""A span's text that opens with this many tokens of its prompt's text, in a row, copied the prompt
rather than hearing its own audio (about five words: too many for a speaker to repeat across a pause)."""
"""The prompt's length, where the text before holds that many tokens: prompts of one length let the
chains' windows share batches (`batcher.py`), which prompts of each span's whole text (up to 223
tokens, as faster-whisper allows) did not."""


@dataclass(frozen=True, slots=True)
class Chain:
    first: int
    """The index of its first span among the recording's."""
    spans: tuple[Span, ...]

    @property
    def samples(self) -> int:
        return sum(span.samples for span in self.spans)


def chained(spans: Sequence[Span], length: int = CHAIN_SPANS) -> list[Chain]:
    """The spans, in order, in chains of `length` (the last may be shorter)."""
    if length < 1:
        raise ValueError("a chain holds at least one span")
    return [Chain(first, tuple(spans[first : first + length])) for first in range(0, len(spans), length)]


@dataclass(frozen=True, slots=True)
class Context:
    """The last words of the span before, as tokens with their timestamps, and the language they were
    transcribed in."""

    tokens: tuple[int, ...]
    language: str


def context_after(
    segments: Sequence[Segment], language: str, timestamp_begin: int, length: int = CONTEXT_TOKENS
) -> Context | None:
    """What the span after these segments is prompted with, if anything: their last `length` tokens,
    timestamps included, as faster-whisper prompts a window with the one before's.

    Text alone tells Whisper the text before had no timestamps, and it wrote none either: on the
    corpus's 7 long recordings every prompted span came back as one segment of 22-26 s, a subtitle cue
    nobody can read (e4432c6), where bare faster-whisper's are sentences of 3-8 s.
    """
    if any(segment.temperature > PROMPT_RESET_TEMPERATURE for segment in segments):
        return None
    tokens = [token for segment in segments for token in segment.tokens]
    if not any(token < timestamp_begin for token in tokens):
        return None
    return Context(tuple(tokens[-length:]), language)


def prompted(context: Context | None, language: str | None, own: Sequence[int]) -> list[int] | None:
    """The prompt for a span in `language`: the request's own tokens, then the text before, if that is
    in the same language (a German span prompted with English text is pulled towards English); None
    where the text before does not apply. faster-whisper keeps the prompt's last 223 tokens."""
    if context is None or context.language != language:
        return None
    return [*own, *context.tokens]


def copied(context: Context | None, segments: Sequence[Segment], timestamp_begin: int) -> bool:
    """Whether the text read after `context` opens by repeating `COPIED_TOKENS` of its text in a row.

    Prompted with the text before, Whisper sometimes writes it again: a 2.9 s span ending a Spanish
    phone menu ("y regresar a la conferencia") came back as the 19 words before it, then its own.
    """
    if context is None:
        return False
    said = [token for segment in segments for token in segment.tokens if token < timestamp_begin]
    before = [token for token in context.tokens if token < timestamp_begin]
    opening = said[:COPIED_TOKENS]
    if len(opening) < COPIED_TOKENS:
        return False
    return any(before[at : at + COPIED_TOKENS] == opening for at in range(len(before) - COPIED_TOKENS + 1))
