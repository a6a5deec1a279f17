"""Which language each span of speech is transcribed in, when the request names none.

A recording may switch language (an interview, a meeting, `multilingual.mp3` reads a text in English,
then in German). Forcing the language detected at the start onto all of it turns the rest into an
English paraphrase, or into nothing: with English forced, 20 s of German came back empty. So every span
is detected on its own and transcribed in its own language.

Language identification on a few seconds of speech is unreliable, on base most of all (a Czech clip
heard as Slovak, a short Dutch one as German), so a span keeps its own language only when it holds
enough speech and its detection is clear; otherwise it is transcribed in the language of most of the
recording, weighted by how sure each span was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

MIN_SECONDS = 6.0
"""Spans shorter than this never stand out from the recording's language."""
MIN_PROBABILITY = 0.8
"""Nor do spans whose detected language is less likely than this."""
UNCLEAR = 0.5
"""A guess on a short window less sure than this is made again on the full 30 s window (`window.py`).

Measured on the 552 speech clips of the corpus's eval subset (base): 167 guessed below 0.5 on their short
window; the full window put 19 of them right and 10 wrong that the short window had right. Above 0.5
the two agree more often than not, and the full encoder pass costs 12x the short one (0.83 s against
0.07 s on one thread, for clips of a few seconds).
"""


@dataclass(frozen=True, slots=True)
class Detected:
    language: str
    probability: float
    seconds: float
    """How much audio the span holds."""

    @property
    def clear(self) -> bool:
        return self.seconds >= MIN_SECONDS and self.probability >= MIN_PROBABILITY


def prevailing(detections: Iterable[Detected]) -> str:
    """The language of most of the speech: each span counts its seconds times its probability."""
    return _heaviest((detected.language, detected.seconds * detected.probability) for detected in detections)


def settled(detected: Detected, recording_language: str) -> str:
    """The language a span is transcribed in: its own when that is clear, else the recording's."""
    return detected.language if detected.clear else recording_language


def weighed(detections: Iterable[Detected]) -> tuple[tuple[str, float], ...]:
    """Each language with its seconds times probability, summed: what `Transcript.detected` carries."""
    return tuple(
        _totals(
            (detected.language, detected.seconds * detected.probability) for detected in detections
        ).items()
    )


def heard_before(weights: Iterable[tuple[str, float]]) -> list[Detected]:
    """A live session's earlier turns (`weighed`) as detections that count as much in `prevailing`."""
    return [Detected(language, 1.0, weight) for language, weight in weights]


def most_spoken(languages_and_seconds: Iterable[tuple[str, float]]) -> str:
    """The language with the most seconds of speech, as the transcript's top-level language."""
    return _heaviest(languages_and_seconds)


def _totals(weights: Iterable[tuple[str, float]]) -> dict[str, float]:
    total: defaultdict[str, float] = defaultdict(float)
    for language, weight in weights:
        total[language] += weight
    return dict(total)


def _heaviest(weights: Iterable[tuple[str, float]]) -> str:
    total = _totals(weights)
    if not total:
        raise ValueError("no span to take a language from")
    return max(total, key=lambda language: total[language])
