"""The groups a report pools items into, and the figures of one side over one group."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.accuracy import confidence, scoring
from bench.accuracy.items import Kind
from bench.accuracy.outcome import Outcome, Result, is_scored_speech
from bench.measure import percentile

# Clips shorter than this are about latency; longer ones (and the long recordings) about throughput.
LONG_ITEM_SECONDS = 20.0


@dataclass(frozen=True)
class Group:
    name: str
    outcomes: list[Outcome]

    def results(self, side: str) -> list[Result]:
        return [o.results[side] for o in self.outcomes if side in o.results]

    @property
    def reference_units(self) -> int:
        """The same whichever side: both are scored against one reference."""
        edits = [_first(o).edits for o in self.outcomes]
        return sum(e.reference for e in edits if e is not None)

    def rate(self, side: str) -> float | None:
        return scoring.pooled_rate(r.edits for r in self.results(side) if r.edits is not None)

    def difference(self, bare: str, auricle: str) -> confidence.Difference | None:
        """Auricle's WER minus bare's over the items both sides scored, with its 95% interval."""
        pairs = [
            (o.results[bare].edits, o.results[auricle].edits)
            for o in self.outcomes
            if bare in o.results and auricle in o.results
        ]
        return confidence.paired([(b, a) for b, a in pairs if b is not None and a is not None])

    def loops(self, side: str) -> list[str]:
        return [o.item.key for o in self.outcomes if side in o.results and o.results[side].is_loop]

    def violating(self, side: str) -> list[str]:
        return [o.item.key for o in self.outcomes if side in o.results and o.results[side].violations]

    def rtfx(self, side: str) -> float | None:
        return rtfx([o for o in self.outcomes if side in o.results], side)


def _first(outcome: Outcome) -> Result:
    return next(iter(outcome.results.values()))


def rtfx(outcomes: Sequence[Outcome], side: str) -> float | None:
    """Audio seconds over wall seconds, all items together."""
    wall = sum(o.results[side].answer.seconds for o in outcomes)
    return sum(o.item.duration for o in outcomes) / wall if wall else None


def latency(outcomes: Sequence[Outcome], side: str, q: float) -> float | None:
    seconds = [o.results[side].answer.seconds for o in outcomes]
    return percentile(seconds, q) if seconds else None


def speech_groups(outcomes: Sequence[Outcome]) -> list[Group]:
    """Overall, English against the rest, each language, each (source, language), the long recordings."""
    clips = [o for o in outcomes if is_scored_speech(o.item)]
    long = [o for o in outcomes if o.item.kind is Kind.LONG]
    groups = [
        Group("all speech clips", clips),
        Group("en", [o for o in clips if o.item.language == "en"]),
        Group("other languages", [o for o in clips if o.item.language != "en"]),
        *_split(clips, lambda o: f"language {o.item.language}"),
        *_split(clips, lambda o: f"{o.item.source} {o.item.language}"),
        Group("long recordings", long),
        *[Group(o.item.key, [o]) for o in long],
    ]
    return [group for group in groups if group.outcomes]


def _split(outcomes: Sequence[Outcome], name: Callable[[Outcome], str]) -> list[Group]:
    found: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        found.setdefault(name(outcome), []).append(outcome)
    return [Group(key, found[key]) for key in sorted(found)]


def non_speech(outcomes: Sequence[Outcome]) -> Group:
    return Group("non-speech", [o for o in outcomes if o.item.is_non_speech])


def speed_split(outcomes: Sequence[Outcome]) -> tuple[list[Outcome], list[Outcome]]:
    """(items over 20 s, long recordings included; items under 20 s), of every kind."""
    long = [o for o in outcomes if o.item.duration > LONG_ITEM_SECONDS]
    short = [o for o in outcomes if o.item.duration <= LONG_ITEM_SECONDS]
    return long, short
