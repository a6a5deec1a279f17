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
from bench.measure import Timing, Transcriber, interleaved, order, rss_mib

SIDES = ("bare", "matched", "defaults")
BARE_BATCHED = "bare-batched"
"""faster-whisper's batched pipeline: timed on the long-form recordings, for reference, with no ratio."""


@dataclass(frozen=True)
class Plan:
    """How much of everything one run does."""

    quick: bool
    long_rounds: int
    short_rounds: int
    clients: tuple[int, ...]
    requests: int
    soak_requests: int

    @classmethod
    def of(cls, quick: bool) -> Plan:
        if quick:
            return cls(
                quick=True, long_rounds=1, short_rounds=1, clients=(1, 4), requests=8, soak_requests=40
            )
        return cls(
            quick=False, long_rounds=6, short_rounds=2, clients=(1, 2, 4, 8), requests=40, soak_requests=500
        )


@dataclass
class Measurements:
    """Everything measured, raw, as the JSON record keeps it."""

    start_seconds: dict[str, float] = field(default_factory=dict)
    first_request_seconds: dict[str, float] = field(default_factory=dict)
    long_form: list[Timing] = field(default_factory=list)
    short: list[Timing] = field(default_factory=list)
    loads: list[Load] = field(default_factory=list)
    peak_rss_mib: dict[str, float] = field(default_factory=dict)
    accuracy: list[Timing] = field(default_factory=list)
    """Every referenced recording at each of `LEVELS`; a timing's `round` is the level's index."""
    soak_rss_mib: list[float] = field(default_factory=list)
    """The defaults server's RSS after the soak's warm-up requests, then after each further 100."""


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def warm_up(sides: Mapping[str, Transcriber], corpus: Corpus, into: Measurements) -> None:
    """One throw-away request per side, timed apart: the first pays for lazy set-up (such as VAD)."""
    clip = next((c for c in corpus.clips if c.name == "jfk"), corpus.clips[0])
    for side, call in sides.items():
        into.first_request_seconds[side] = call(clip).seconds
    progress("first requests (" + clip.name + "): " + _seconds(into.first_request_seconds))


def long_form(sides: Mapping[str, Transcriber], corpus: Corpus, plan: Plan, into: Measurements) -> None:
    """The long-form recording, then the one joined from referenced recordings (it has a WER)."""
    recordings = [corpus.long_form, *([corpus.referenced_long_form] if corpus.referenced_long_form else [])]
    for round_index in range(plan.long_rounds):
        timings = interleaved(sides, recordings, round_index)
        into.long_form += timings
        progress(f"long-form, round {round_index + 1}/{plan.long_rounds}: " + _walls(timings))


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


SOAK_WARM_UP_REQUESTS = 20
"""Sent before the soak's first RSS reading, so that lazy set-up and allocator growth are not counted."""

LEVELS_DB = (0.0, 3.0, 6.0)
"""How much quieter each accuracy pass plays the referenced recordings. One transcript flips words on a
change as small as rounding the samples to 16 bits, so each WER is pooled over three levels."""


def accuracy(sides: Mapping[str, Transcriber], corpus: Corpus, into: Measurements) -> None:
    """Every referenced clip, and the referenced long-form, at each level on every side, interleaved."""
    for index, decibels in enumerate(LEVELS_DB):
        recordings = [clip.quieter(decibels) for clip in corpus.referenced_recordings]
        into.accuracy += interleaved(sides, recordings, index)
        progress(f"accuracy pass at -{decibels:.0f} dB done")


def soak(client: AuricleClient, pid: int, clips: Sequence[Clip], plan: Plan, into: Measurements) -> None:
    """`soak_requests` sequential requests to the defaults server after a warm-up, reading its RSS."""
    for index in range(SOAK_WARM_UP_REQUESTS):
        client.transcribe(clips[index % len(clips)])
    into.soak_rss_mib.append(rss_mib(pid))
    for index in range(plan.soak_requests):
        client.transcribe(clips[index % len(clips)])
        if (index + 1) % 100 == 0 or index + 1 == plan.soak_requests:
            into.soak_rss_mib.append(rss_mib(pid))
    progress(
        f"soak: {plan.soak_requests} requests, RSS (MiB) " + ", ".join(f"{r:.0f}" for r in into.soak_rss_mib)
    )


def _walls(timings: list[Timing]) -> str:
    return ", ".join(f"{t.side} {t.clip} {t.seconds:.1f} s" for t in timings)


def _seconds(values: dict[str, float]) -> str:
    return ", ".join(f"{side} {value:.2f} s" for side, value in values.items())
