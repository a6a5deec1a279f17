"""A recorded run scored again from its answers, without transcribing anything.

Scoring is cheap and a full run is not (45 minutes on 2 cores): when a normaliser or a check changes,
the answers kept in a run's JSON file give the new figures for the very same transcripts and timings.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.accuracy.document import Run
from bench.accuracy.items import Item, Kind
from bench.accuracy.outcome import Outcome, score
from bench.accuracy.perturb import PERTURBATIONS
from bench.accuracy.run import Measured, Plan
from bench.accuracy.sides import SIDES, Answer
from bench.machine import Machine


def _outcome(record: dict[str, Any]) -> Outcome:
    item = Item(
        key=record["key"],
        source=record["source"],
        language=record["language"],
        reference=record["reference"],
        kind=Kind(record["kind"]),
        filename="",
        data=b"",  # not kept: only a new run needs the audio
        duration=record["duration"],
        perturbation=_perturbation(record),
    )
    return Outcome(
        item,
        {
            side: score(item, Answer.from_record(answer), fresh=answer["timed_in_this_run"])
            for side, answer in record["sides"].items()
        },
    )


def _perturbation(record: dict[str, Any]) -> str:
    """Recorded since 2026-12-07 16:40; before, only the key's `@name` said it."""
    if "perturbation" in record:
        return str(record["perturbation"])
    _, at, name = str(record["key"]).rpartition("@")
    return name if at and name in PERTURBATIONS else ""


def _measured(record: dict[str, Any], outcomes: list[Outcome]) -> Measured:
    timed = {side: sum(o.results[side].fresh for o in outcomes if side in o.results) for side in SIDES}
    return Measured(
        outcomes=outcomes,
        setup_seconds=record["setup_seconds"],
        wall_seconds=record["wall_seconds"],
        timed_here={side: count for side, count in timed.items() if count},
        cached_dates=record.get("cached_dates", []),
    )


def load(path: Path) -> Run:
    """The run recorded in `path` (a report's .json), every answer scored again by this checkout."""
    record = json.loads(path.read_text(encoding="utf-8"))
    outcomes = [_outcome(item) for item in record["items"]]
    machine = Machine(**record["machine"])
    plan = Plan(
        sides=tuple(side for side in SIDES if any(side in o.results for o in outcomes)),
        language_given=record["language_given"],
        fresh_bare=False,
        auricle_env=record["auricle_env"],
        keywords=tuple(record.get("keywords", ())),
        cache_path=Path(),
        cpu=machine.model_name,
    )
    return Run(
        plan=plan,
        measured=_measured(record, outcomes),
        manifest=Path(record["manifest"]),
        partial=record["partial"],
        machine=machine,
        busy=record["machine_load"],
        started=datetime.fromisoformat(record["started_utc"]),
        wall_seconds=record["duration_seconds"],
        settings=record["auricle_settings"],
        rescored=datetime.now(UTC),
    )
