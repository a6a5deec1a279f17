"""Throughput under concurrent clients: N callers, each sending its next clip as soon as one comes back."""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bench.corpus import Clip
from bench.measure import Transcriber, percentile


@dataclass(frozen=True)
class Load:
    side: str
    clients: int
    wall_seconds: float
    audio_seconds: float
    latencies: list[float]

    @property
    def clips_per_second(self) -> float:
        return len(self.latencies) / self.wall_seconds

    @property
    def audio_per_second(self) -> float:
        """Seconds of audio transcribed per second of wall time, all clients together."""
        return self.audio_seconds / self.wall_seconds

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 95)

    def record(self) -> dict[str, object]:
        return {
            "side": self.side,
            "clients": self.clients,
            "requests": len(self.latencies),
            "wall_seconds": self.wall_seconds,
            "audio_seconds": self.audio_seconds,
            "clips_per_second": self.clips_per_second,
            "audio_seconds_per_second": self.audio_per_second,
            "p50_seconds": percentile(self.latencies, 50),
            "p95_seconds": self.p95,
            "latencies": self.latencies,
        }


def closed_loop(side: str, call: Transcriber, clips: Sequence[Clip], clients: int, requests: int) -> Load:
    """`requests` clips (the short set in order, from the start again when it runs out) on `clients` threads.

    Every side gets the same sequence, so each level's mix of short and long clips is the same for all.
    """
    work = [clips[index % len(clips)] for index in range(requests)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients, thread_name_prefix=f"client-{side}") as pool:
        latencies = [result.seconds for result in pool.map(call, work)]
    wall = time.perf_counter() - started
    return Load(side, clients, wall, sum(clip.seconds for clip in work), latencies)
