"""The report's tables: accuracy per group, non-speech, speed and language detection."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from bench.accuracy.groups import Group, latency, non_speech, rtfx, speech_groups, speed_split
from bench.accuracy.items import Kind
from bench.accuracy.outcome import Outcome
from bench.accuracy.scoring import CHARACTER_LANGUAGES
from bench.accuracy.sides import AURICLE, BARE

DASH = "-"


def percent(value: float | None) -> str:
    return DASH if value is None else f"{value:.1%}"


def number(value: float | None, digits: int = 1) -> str:
    return DASH if value is None else f"{value:.{digits}f}"


def pair(bare: object, auricle: object) -> str:
    return f"{bare} / {auricle}"


def ratio(auricle: float | None, bare: float | None) -> float | None:
    return auricle / bare if auricle is not None and bare else None


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right_from: int = 1) -> list[str]:
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    return [f"| {' | '.join(row)} |" for row in [header, align, *rows]]


def _per_side(group: Group, value: Callable[[str], object]) -> str:
    """ "bare / auricle", with a dash for a side that did not run."""
    sides = {side for o in group.outcomes for side in o.results}
    return pair(*(value(side) if side in sides else DASH for side in (BARE, AURICLE)))


def _accuracy_row(group: Group) -> list[str]:
    character = all(o.item.language in CHARACTER_LANGUAGES for o in group.outcomes)
    return [
        group.name + (" (CER)" if character else ""),
        str(len(group.outcomes)),
        str(group.reference_units),
        percent(group.rate(BARE)),
        percent(group.rate(AURICLE)),
        *_difference(group),
        _per_side(group, lambda side: len(group.loops(side))),
        _per_side(group, lambda side: len(group.violating(side))),
        _per_side(group, lambda side: number(group.rtfx(side))),
    ]


def _difference(group: Group) -> list[str]:
    """The difference with its interval from a paired bootstrap, where a group has enough items."""
    found = group.difference(BARE, AURICLE)
    if found is None:
        return [DASH, DASH]
    return [found.describe(), percent(found.auricle_not_worse)]


def accuracy_table(outcomes: Sequence[Outcome]) -> list[str]:
    header = [
        "group",
        "items",
        "ref words",
        "WER bare",
        "WER auricle",
        "auricle - bare, points (95% interval)",
        "resamples auricle <= bare",
        "loops bare / auricle",
        "timestamp violations bare / auricle",
        "RTFx bare / auricle",
    ]
    return _table(header, [_accuracy_row(group) for group in speech_groups(outcomes)])


def non_speech_table(outcomes: Sequence[Outcome]) -> list[str]:
    """Non-speech: the right answer is "", so every answer that is not empty invented something."""
    group = non_speech(outcomes)
    if not group.outcomes:
        return []

    def invented(side: str, count: Callable[[int], int], tags: bool) -> int:
        found = [r.invented for r in group.results(side) if r.invented is not None]
        return sum(count(i.words if tags else i.words_without_tags) for i in found)

    def answered(side: str, tags: bool) -> int:
        return invented(side, lambda words: int(words > 0), tags)

    header = ["non-speech", "items", "non-empty answers", "words", "non-empty, tags stripped"]
    header += ["words, tags stripped", "timestamp violations", "RTFx"]
    row = [
        f"{group.name} (bare / auricle)",
        str(len(group.outcomes)),
        _per_side(group, lambda side: answered(side, True)),
        _per_side(group, lambda side: invented(side, lambda words: words, True)),
        _per_side(group, lambda side: answered(side, False)),
        _per_side(group, lambda side: invented(side, lambda words: words, False)),
        _per_side(group, lambda side: len(group.violating(side))),
        _per_side(group, lambda side: number(group.rtfx(side))),
    ]
    return _table(header, [row])


def speed_table(outcomes: Sequence[Outcome], sources: dict[str, str]) -> list[str]:
    """RTFx where throughput matters (over 20 s), latency where waiting does (under 20 s)."""
    long, short = speed_split(outcomes)
    ran = {side for o in outcomes for side in o.results}

    def figure(
        name: str, items: list[Outcome], value: Callable[[list[Outcome], str], float | None]
    ) -> list[str]:
        found = {side: value(items, side) if side in ran and items else None for side in (BARE, AURICLE)}
        digits = 2 if "latency" in name else 1
        row = [f"{name} ({len(items)} items)", number(found[BARE], digits), number(found[AURICLE], digits)]
        return [*row, number(ratio(found[AURICLE], found[BARE]), 2)]

    rows = [
        figure("RTFx, items over 20 s", long, rtfx),
        figure("RTFx, all items", [*long, *short], rtfx),
        figure("latency p50 (s), items up to 20 s", short, lambda items, side: latency(items, side, 50)),
        figure("latency p95 (s), items up to 20 s", short, lambda items, side: latency(items, side, 95)),
    ]
    note = [f"- {side}: {sources[side]}" for side in (BARE, AURICLE) if side in sources]
    return [*_table(["speed", "bare", "auricle", "auricle / bare"], rows), "", *note]


def language_table(outcomes: Sequence[Outcome]) -> list[str]:
    """Detected top-level language against the one spoken, over speech clips and long recordings, and
    what each side took a language for when it got it wrong."""
    speech = [o for o in outcomes if o.item.is_speech and o.item.kind in (Kind.CLIP, Kind.LONG)]
    by_language: dict[str, list[Outcome]] = {"all": speech}
    for outcome in sorted(speech, key=lambda o: o.item.language):
        by_language.setdefault(outcome.item.language, []).append(outcome)

    def share(items: list[Outcome], side: str) -> str:
        found = [o.results[side].language_ok for o in items if side in o.results]
        return percent(sum(bool(ok) for ok in found) / len(found)) if found else DASH

    def mistaken(items: list[Outcome], side: str) -> str:
        wrong = Counter(
            o.results[side].answer.language or "none"
            for o in items
            if side in o.results and o.results[side].language_ok is False
        )
        return ", ".join(f"{code} {count}" for code, count in wrong.most_common(3)) or DASH

    header = [
        "language spoken",
        "items",
        "right, bare",
        "right, auricle",
        "taken for, bare",
        "taken for, auricle",
    ]
    rows = [
        [
            name,
            str(len(items)),
            share(items, BARE),
            share(items, AURICLE),
            mistaken(items, BARE),
            mistaken(items, AURICLE),
        ]
        for name, items in by_language.items()
    ]
    return _table(header, rows)
