"""A run: every item on each side in turn, one request at a time, bare's answers taken from the cache
unless told to measure them afresh."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from auricle.config import Settings
from auricle.engine.sources import resolve
from bench.accuracy.cache import BareCache
from bench.accuracy.items import WARM_UP, Item, Kind, from_file
from bench.accuracy.outcome import Outcome, Result, score
from bench.accuracy.sides import AURICLE, BARE, SIDES, Answer, AuricleClient, BareWhisper, auricle_server
from bench.measure import order
from bench.phases import progress

Caller = Callable[[Item, str | None], Answer]
# Saved every so many fresh bare answers, so an interrupted full run keeps most of its work.
SAVE_EVERY = 25


@dataclass(frozen=True)
class Plan:
    sides: tuple[str, ...]
    language_given: bool
    """Send the manifest's language to both sides; by default neither gets one, as most users send none."""
    fresh_bare: bool
    auricle_env: Mapping[str, str]
    """Settings on top of Auricle's defaults (name without the AURICLE_ prefix -> value)."""
    cache_path: Path
    cpu: str
    keywords: tuple[str, ...] = ()
    """`keywords[]` sent with every Auricle request (bare has no such thing)."""


@dataclass
class Measured:
    outcomes: list[Outcome] = field(default_factory=list)
    setup_seconds: dict[str, float] = field(default_factory=dict)
    """Bare's model load; Auricle's process start to its first 200 from /ready."""
    wall_seconds: dict[str, float] = field(default_factory=dict)
    """Time each side spent transcribing in this run."""
    timed_here: dict[str, int] = field(default_factory=dict)
    cached_dates: list[str] = field(default_factory=list)
    """When the cached bare answers used were measured."""

    def add(self, side: str, answer: Answer) -> None:
        self.wall_seconds[side] = self.wall_seconds.get(side, 0.0) + answer.seconds
        self.timed_here[side] = self.timed_here.get(side, 0) + 1


def measure(items: Sequence[Item], plan: Plan) -> Measured:
    """Both sides over `items`, the order of the sides alternating from item to item, so a drift in
    the machine's speed weighs on both alike (bench.measure.order)."""
    cache = BareCache.load(plan.cache_path) if BARE in plan.sides else None
    cached = {}
    if cache is not None and not plan.fresh_bare:
        cached = {item.key: hit for item in items if (hit := cache.get(item)) is not None}
    measured = Measured(cached_dates=sorted({when for _, when in cached.values()}))
    sides = [side for side in SIDES if side in plan.sides]
    with ExitStack() as stack:
        callers = _start(stack, plan, needs_bare=BARE in sides and len(cached) < len(items), into=measured)
        session = _Session(plan, callers, measured, cache)
        try:
            for index, item in enumerate(items):
                results: dict[str, Result] = {}
                for side in order(sides, index):
                    hit = cached.get(item.key) if side == BARE else None
                    results[side] = score(item, hit[0], fresh=False) if hit else session.fresh(side, item)
                measured.outcomes.append(Outcome(item, {side: results[side] for side in sides}))
                _report_progress(index, items, measured)
        finally:
            if cache is not None and measured.timed_here.get(BARE):
                cache.save()
    return measured


@dataclass(frozen=True)
class _Session:
    plan: Plan
    callers: Mapping[str, Caller]
    into: Measured
    cache: BareCache | None

    def fresh(self, side: str, item: Item) -> Result:
        """One request, timed; bare's answer goes into the cache."""
        language = item.language if self.plan.language_given and item.language else None
        answer = self.callers[side](item, language)
        self.into.add(side, answer)
        if side == BARE and self.cache is not None:
            self.cache.put(item, answer, self.plan.cpu)
            if self.into.timed_here[BARE] % SAVE_EVERY == 0:
                self.cache.save()
        return score(item, answer, fresh=True)


def _start(stack: ExitStack, plan: Plan, *, needs_bare: bool, into: Measured) -> dict[str, Caller]:
    """The sides this run has to call, started and warmed up with one untimed request each."""
    callers: dict[str, Caller] = {}
    if needs_bare:
        bare = BareWhisper(resolve("bundled:base", Settings().cache_dir))
        stack.callback(bare.close)
        into.setup_seconds[BARE] = bare.load_seconds
        callers[BARE] = bare.transcribe
        progress(f"bare model loaded in {bare.load_seconds:.2f} s")
    if AURICLE in plan.sides:
        server, ready = stack.enter_context(auricle_server(plan.auricle_env))
        client = AuricleClient(server.base_url, plan.keywords)
        stack.callback(client.close)
        into.setup_seconds[AURICLE] = ready
        callers[AURICLE] = client.transcribe
        progress(f"auricle serve ready in {ready:.2f} s on {server.base_url}")
    warm_up = from_file(WARM_UP, Kind.CLIP)
    for call in callers.values():
        call(warm_up, None)
    return callers


def _report_progress(index: int, items: Sequence[Item], measured: Measured) -> None:
    done = index + 1
    if done % 25 and done != len(items) and items[index].kind is Kind.CLIP:
        return
    spent = ", ".join(f"{side} {seconds:.0f} s" for side, seconds in sorted(measured.wall_seconds.items()))
    progress(f"{done}/{len(items)} items ({items[index].key}); transcribing so far: {spent or 'all cached'}")
