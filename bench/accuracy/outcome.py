"""One item's answers from each side, each scored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench.accuracy import scoring
from bench.accuracy.items import Item, Kind
from bench.accuracy.scoring import Edits, Invented
from bench.accuracy.sides import Answer
from bench.accuracy.timestamps import answer_violations


@dataclass(frozen=True)
class Result:
    answer: Answer
    fresh: bool
    """Measured in this run; False when it came from the cache (its timing is from another run)."""
    edits: Edits | None
    """Against the reference, for speech with one."""
    invented: Invented | None
    """For non-speech only."""
    violations: list[str]
    language_ok: bool | None
    """Whether the detected language is the one spoken, for speech of a known language."""

    @property
    def is_loop(self) -> bool:
        return self.edits is not None and self.edits.reference > 0 and self.edits.is_loop


def score(item: Item, answer: Answer, fresh: bool) -> Result:
    speech = item.is_speech and item.reference is not None
    return Result(
        answer=answer,
        fresh=fresh,
        edits=scoring.edits(item.reference or "", answer.text, item.language) if speech else None,
        invented=scoring.invented(answer.text) if item.is_non_speech else None,
        violations=answer_violations(answer.segments, answer.words, item.duration),
        language_ok=(answer.language == item.language) if item.is_speech else None,
    )


@dataclass(frozen=True)
class Outcome:
    item: Item
    results: dict[str, Result]
    """Side name -> its scored answer."""

    def rate(self, side: str) -> float | None:
        result = self.results.get(side)
        return None if result is None or result.edits is None else result.edits.rate

    def record(self) -> dict[str, Any]:
        """Everything about the item and both answers, for the JSON file."""
        item = self.item
        return {
            "key": item.key,
            "source": item.source,
            "kind": item.kind.value,
            "language": item.language,
            "duration": round(item.duration, 3),
            "reference": item.reference,
            "perturbation": item.perturbation,
            "sides": {side: _record(result) for side, result in self.results.items()},
        }


def _record(result: Result) -> dict[str, Any]:
    edits, invented = result.edits, result.invented
    return {
        **result.answer.record(),
        "timed_in_this_run": result.fresh,
        "errors": edits and edits.errors,
        "reference_units": edits and edits.reference,
        "hypothesis_units": edits and edits.hypothesis,
        "loop": result.is_loop,
        "invented_words": invented and invented.words,
        "invented_words_without_tags": invented and invented.words_without_tags,
        "violations": result.violations,
        "language_ok": result.language_ok,
    }


def is_scored_speech(item: Item) -> bool:
    """Speech with a reference, from the manifest (long recordings are grouped on their own)."""
    return item.kind is Kind.CLIP and item.is_speech
