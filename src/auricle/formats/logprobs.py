"""`include[]=logprobs`: how sure Whisper was of each word, as OpenAI's `{token, logprob, bytes}` items.

faster-whisper keeps no probability per generated token. Its word timestamps come from a second,
teacher-forced pass over the transcript's tokens that gives each token's probability, and it gives each
word the mean probability of its tokens. So Auricle's items are words (Whisper's tokens joined into
words, punctuation with them), each with the natural log of that probability; joined, their tokens are
the text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from auricle.engine.transcript import Segment

SMALLEST_PROBABILITY = 1e-12
"""A word Whisper gave no probability at all still has a finite log-probability."""


def logprobs(segments: Sequence[Segment], *, first: bool = True) -> list[dict[str, Any]]:
    """The items of `segments`' words; `first` when they start the text, which has no leading space."""
    items = []
    for word in (word for segment in segments for word in segment.words):
        token = word.word.lstrip() if first else word.word
        first = first and not token
        if token:
            items.append({"token": token, "logprob": _log(word.probability), "bytes": list(token.encode())})
    return items


def _log(probability: float) -> float:
    return math.log(max(probability, SMALLEST_PROBABILITY))
