"""The report's lists, for an engineer to see what went wrong: loops, timestamp faults, failed requests,
the items Auricle got most wrong against bare, and the code-switched recording."""

from __future__ import annotations

from collections.abc import Sequence

from bench.accuracy import scoring
from bench.accuracy.items import MULTILINGUAL_SWITCH_SECONDS, Kind
from bench.accuracy.outcome import Outcome
from bench.accuracy.report import DASH, percent
from bench.accuracy.sides import AURICLE, BARE, SIDES

VIOLATIONS_LISTED = 10
WORST_LISTED = 15
# A long recording's transcript is shown in part: the JSON file has all of it.
SHOWN_CHARACTERS = 600


def _clip(text: str | None) -> str:
    if text is None:
        return DASH
    text = text.replace("|", "\\|")
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + " …"


def _sides(outcomes: Sequence[Outcome]) -> list[str]:
    return [side for side in SIDES if any(side in o.results for o in outcomes)]


def loops(outcomes: Sequence[Outcome]) -> list[str]:
    lines = []
    for side in _sides(outcomes):
        found = [o for o in outcomes if side in o.results and o.results[side].is_loop]
        described = [f"{o.item.key} ({_units(o, side)})" for o in found]
        lines.append(f"- {side}: {len(found)}" + (f": {', '.join(described)}" if found else ""))
    return lines


def _units(outcome: Outcome, side: str) -> str:
    edits = outcome.results[side].edits
    return "" if edits is None else f"{edits.hypothesis} words for {edits.reference}"


def violations(outcomes: Sequence[Outcome]) -> list[str]:
    """Per side, the count and the first few items with their faults."""
    lines = []
    for side in _sides(outcomes):
        found = [o for o in outcomes if side in o.results and o.results[side].violations]
        lines.append(f"- {side}: {len(found)} items" + (", the first ones:" if found else ""))
        for outcome in found[:VIOLATIONS_LISTED]:
            faults = outcome.results[side].violations
            more = f" (and {len(faults) - 3} more)" if len(faults) > 3 else ""
            lines.append(
                f"  - {outcome.item.key} ({outcome.item.duration:.2f} s): {'; '.join(faults[:3])}{more}"
            )
    return lines


def invented(outcomes: Sequence[Outcome]) -> list[str]:
    """Per side, the non-speech items that got any text at all (a lone "..." included), and the text."""
    lines = []
    for side in _sides(outcomes):
        found = [
            o for o in outcomes if o.item.is_non_speech and side in o.results and o.results[side].answer.text
        ]
        lines.append(f"- {side}: {len(found)} items" + (", the first ones:" if found else ""))
        lines += [
            f"  - {o.item.key}: {_clip(o.results[side].answer.text)}" for o in found[:VIOLATIONS_LISTED]
        ]
    return lines


def failures(outcomes: Sequence[Outcome]) -> list[str]:
    """Requests that brought no transcript: refusals (a clip under Auricle's 0.1 s minimum) and errors."""
    lines = []
    for side in _sides(outcomes):
        for outcome in outcomes:
            result = outcome.results.get(side)
            if result is not None and result.answer.error:
                lines.append(f"- {side}, {outcome.item.key}: {result.answer.error[:200]}")
    return lines or ["- none"]


def worst(outcomes: Sequence[Outcome]) -> list[str]:
    """The items where Auricle's WER exceeds bare's the most, with both transcripts and the reference;
    ties broken by the number of extra errors, so a long recording outranks a one-word clip."""
    both = [o for o in outcomes if o.rate(BARE) is not None and o.rate(AURICLE) is not None]
    worse = sorted((o for o in both if _gap(o) > 0), key=lambda o: (_gap(o), _extra(o)), reverse=True)
    better = sum(_gap(o) < 0 for o in both)
    same = len(both) - len(worse) - better
    lines = [f"Auricle worse on {len(worse)} items, better on {better}, the same on {same}.", ""]
    for rank, outcome in enumerate(worse[:WORST_LISTED], 1):
        bare, auricle = outcome.results[BARE], outcome.results[AURICLE]
        lines += [
            f"{rank}. **{outcome.item.key}** ({outcome.item.language}, {outcome.item.duration:.1f} s): "
            f"WER bare {percent(outcome.rate(BARE))}, auricle {percent(outcome.rate(AURICLE))}",
            f"   - reference: {_clip(outcome.item.reference)}",
            f"   - bare ({bare.answer.language}): {_clip(bare.answer.text)}",
            f"   - auricle ({auricle.answer.language}): {_clip(auricle.answer.text)}",
        ]
    return lines


def _gap(outcome: Outcome) -> float:
    return (outcome.rate(AURICLE) or 0.0) - (outcome.rate(BARE) or 0.0)


def _extra(outcome: Outcome) -> int:
    bare, auricle = outcome.results[BARE].edits, outcome.results[AURICLE].edits
    return (auricle.errors if auricle else 0) - (bare.errors if bare else 0)


def mixed(outcomes: Sequence[Outcome]) -> list[str]:
    """multilingual.mp3, English then German: which language each side took it for, and whether what
    it wrote for the German half is German (rather than English, or a translation into English)."""
    lines = []
    for outcome in (o for o in outcomes if o.item.kind is Kind.MIXED):
        lines.append(f"**{outcome.item.key}** ({outcome.item.duration:.1f} s, German from about 30 s)")
        lines.append("")
        for side, result in outcome.results.items():
            second = " ".join(
                s.text.strip()
                for s in result.answer.segments
                if (s.start + s.end) / 2 >= MULTILINGUAL_SWITCH_SECONDS
            )
            german = scoring.share_of(second, scoring.GERMAN_FUNCTION_WORDS)
            english = scoring.share_of(second, scoring.ENGLISH_FUNCTION_WORDS)
            lines += [
                f"- {side}: detected `{result.answer.language}`; after 30 s, German function words "
                f"{percent(german)} and English ones {percent(english)} of the words "
                f"({'looks German' if (german or 0) > (english or 0) else 'does not look German'}); "
                f"timestamp violations: {len(result.violations)}",
                f"  - 30-60 s: {_clip(second) if second else '(nothing)'}",
            ]
        lines.append("")
    return lines
