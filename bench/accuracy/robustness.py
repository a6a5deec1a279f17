"""The report's section on perturbed audio (`perturb.py`): each transformation beside the plain run."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bench.accuracy.groups import Group, non_speech
from bench.accuracy.items import Kind
from bench.accuracy.outcome import Outcome, is_scored_speech
from bench.accuracy.report import DASH, pair, percent
from bench.accuracy.scoring import hits, right_words_cut_off, words_cut_off
from bench.accuracy.sides import AURICLE, BARE

PLAIN = "plain"
TRUNCATED_AFTER = 1
"""An answer that leaves out more than this many of bare's last words is cut short. Counted twice: as
the issue defines it, and only over the words bare read right, since a window the trust rules drop is
often one where bare's words were invented (on the 2026-12-07 subset, 3 of 3 plain cuts)."""


def plain(outcomes: Sequence[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if not o.item.perturbation]


def perturbation_table(outcomes: Sequence[Outcome]) -> list[str]:
    """Per transformation and group: WER, deletions, insertions, truncations, loops, words on
    non-speech and timestamp violations, bare / auricle."""
    names = [PLAIN, *dict.fromkeys(o.item.perturbation for o in outcomes if o.item.perturbation)]
    if len(names) == 1:
        return ["No perturbation asked for (`--perturb`)."]
    header = [
        "transformation",
        "group",
        "items",
        "WER bare / auricle",
        "difference (95%)",
        "deletions",
        "insertions",
        "cut short (auricle)",
        "of bare's right words",
        "right words only bare / only auricle read",
        "loops",
        "non-speech with words",
        "timestamp violations",
    ]
    rows = []
    for name in names:
        chosen = [o for o in outcomes if (o.item.perturbation or PLAIN) == name]
        for group in _groups(chosen):
            rows.append([name, *_row(group, non_speech(chosen))])
    align = ["---", "---", *["---:"] * (len(header) - 2)]
    return [f"| {' | '.join(row)} |" for row in [header, align, *rows]]


def _groups(outcomes: Sequence[Outcome]) -> list[Group]:
    clips = [o for o in outcomes if is_scored_speech(o.item)]
    groups = [
        Group("all speech clips", clips),
        Group("en", [o for o in clips if o.item.language == "en"]),
        Group("other languages", [o for o in clips if o.item.language != "en"]),
        Group("long recordings", [o for o in outcomes if o.item.kind is Kind.LONG]),
    ]
    return [group for group in groups if group.outcomes]


def _row(group: Group, sounds: Group) -> list[str]:
    difference = group.difference(BARE, AURICLE)
    interval = DASH if difference is None else difference.describe()
    first = group.name == "all speech clips"
    return [
        group.name,
        str(len(group.outcomes)),
        pair(percent(group.rate(BARE)), percent(group.rate(AURICLE))),
        interval,
        pair(*(_edits(group, side, "deletions") for side in (BARE, AURICLE))),
        pair(*(_edits(group, side, "insertions") for side in (BARE, AURICLE))),
        _cut_short(group, cut_short),
        _cut_short(group, cut_right_words),
        pair(*_right_only(group)),
        pair(len(group.loops(BARE)), len(group.loops(AURICLE))),
        pair(*(_answered(sounds, side) for side in (BARE, AURICLE))) if first else "",
        pair(len(group.violating(BARE)), len(group.violating(AURICLE))),
    ]


def _edits(group: Group, side: str, kind: str) -> int:
    return sum(getattr(r.edits, kind) for r in group.results(side) if r.edits is not None)


def _cut_short(group: Group, is_cut: Callable[[Outcome], bool]) -> str:
    both = [o for o in group.outcomes if BARE in o.results and AURICLE in o.results]
    cut = [o for o in both if is_cut(o)]
    return f"{len(cut)} ({len(cut) / len(both):.1%})" if both else DASH


def cut_short(outcome: Outcome) -> bool:
    """Whether Auricle's answer ends more than one word before bare's."""
    bare, auricle = outcome.results[BARE].answer.text, outcome.results[AURICLE].answer.text
    return words_cut_off(bare, auricle, outcome.item.language) > TRUNCATED_AFTER


def _right_only(group: Group) -> tuple[int, int]:
    """Reference words one side read right and the other did not, over the items both answered: a
    word lost is one bare read and Auricle did not, however each side's other errors fell."""
    bare_only = auricle_only = 0
    for o in group.outcomes:
        if BARE not in o.results or AURICLE not in o.results or not o.item.reference:
            continue
        read = {
            side: hits(o.item.reference, o.results[side].answer.text, o.item.language)
            for side in (BARE, AURICLE)
        }
        bare_only += len(read[BARE] - read[AURICLE])
        auricle_only += len(read[AURICLE] - read[BARE])
    return bare_only, auricle_only


def cut_right_words(outcome: Outcome) -> bool:
    """Whether Auricle's answer leaves out more than one of bare's last words that bare read right."""
    bare, auricle = outcome.results[BARE].answer.text, outcome.results[AURICLE].answer.text
    reference = outcome.item.reference or ""
    lost = right_words_cut_off(bare, auricle, reference, outcome.item.language)
    return lost > TRUNCATED_AFTER


def _answered(group: Group, side: str) -> int:
    return sum(1 for r in group.results(side) if r.invented is not None and r.invented.answered)
