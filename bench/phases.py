"""The steps of one run, in the order they run, each printing a line of progress as it goes."""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bench.bare import BareWhisper
from bench.client import AuricleClient
from bench.corpus import Clip, Corpus
from bench.load import Load, closed_loop
from bench.measure import Timing, Transcriber, interleaved, order

SIDES = ("bare", "matched", "defaults")


@dataclass(frozen=True)
class Plan:
    """How much of everything one run does."""

    quick: bool
    long_rounds: int
    short_rounds: int
    clients: tuple[int, ...]
    requests: int

    @classmethod
    def of(cls, quick: bool) -> Plan:
        if quick:
            return cls(quick=True, long_rounds=1, short_rounds=1, clients=(1, 4), requests=8)
        return cls(quick=False, long_rounds=4, short_rounds=2, clients=(1, 2, 4, 8), requests=40)


@dataclass
class Measurements:
    """Everything measured, raw, as the JSON record keeps it."""

    start_seconds: dict[str, float] = field(default_factory=dict)
    first_request_seconds: dict[str, float] = field(default_factory=dict)
    long_form: list[Timing] = field(default_factory=list)
    short: list[Timing] = field(default_factory=list)
    loads: list[Load] = field(default_factory=list)
    peak_rss_mib: dict[str, float] = field(default_factory=dict)


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def warm_up(sides: Mapping[str, Transcriber], corpus: Corpus, into: Measurements) -> None:
    """One throw-away request per side, timed apart: the first pays for lazy set-up (such as VAD)."""
    clip = next((c for c in corpus.clips if c.name == "jfk"), corpus.clips[0])
    for side, call in sides.items():
        into.first_request_seconds[side] = call(clip).seconds
    progress("first requests (" + clip.name + "): " + _seconds(into.first_request_seconds))


def long_form(sides: Mapping[str, Transcriber], corpus: Corpus, plan: Plan, into: Measurements) -> None:
    clip = corpus.long_form
    for round_index in range(plan.long_rounds):
        timings = interleaved(sides, [clip], round_index)
        into.long_form += timings
        progress(
            f"long-form {clip.seconds:.0f} s, round {round_index + 1}/{plan.long_rounds}: " + _walls(timings)
        )


def short_clips(
    sides: Mapping[str, Transcriber], clips: Sequence[Clip], plan: Plan, into: Measurements
) -> None:
    for round_index in range(plan.short_rounds):
        timings = interleaved(sides, clips, round_index)
        into.short += timings
        totals = {side: sum(t.seconds for t in timings if t.side == side) for side in sides}
        progress(f"short clips, round {round_index + 1}/{plan.short_rounds}: total wall " + _seconds(totals))


def concurrency(
    bare: BareWhisper,
    clients: dict[str, AuricleClient],
    clips: Sequence[Clip],
    plan: Plan,
    into: Measurements,
) -> None:
    """Bare is its sequential worker at 1 client, and N threads sharing its one model above that."""
    sides = ["bare", *clients]
    for turn, count in enumerate(plan.clients):
        loads = [
            closed_loop(side, _caller(side, count, bare, clients), clips, count, plan.requests)
            for side in order(sides, turn)
        ]
        into.loads += loads
        progress(
            f"{count} client(s), {plan.requests} requests: "
            + ", ".join(f"{load.side} {load.clips_per_second:.2f} clips/s" for load in loads)
        )


def _caller(side: str, count: int, bare: BareWhisper, clients: dict[str, AuricleClient]) -> Transcriber:
    if side == "bare":
        return bare.transcribe if count == 1 else bare.transcribe_on_caller
    return clients[side].transcribe


def _walls(timings: list[Timing]) -> str:
    return ", ".join(f"{t.side} {t.seconds:.1f} s" for t in timings)


def _seconds(values: dict[str, float]) -> str:
    return ", ".join(f"{side} {value:.2f} s" for side, value in values.items())
