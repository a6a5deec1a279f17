"""Timing the sides against each other: interleaved, so a noisy neighbour slows every side alike."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bench.corpus import Clip


@dataclass(frozen=True, slots=True)
class Result:
    text: str
    seconds: float
    """Wall time of one transcription, as the side's caller sees it."""


Transcriber = Callable[[Clip], Result]


@dataclass(frozen=True, slots=True)
class Timing:
    side: str
    clip: str
    round: int
    audio_seconds: float
    seconds: float
    text: str

    def record(self) -> dict[str, object]:
        return asdict(self)


def order(sides: Sequence[str], turn: int) -> list[str]:
    """The sides forwards on even turns, backwards on odd ones.

    Alternating (rather than rotating) gives every side the same average position over two turns, so a
    drift in machine speed, or a side slowed by the one before it, weighs on all of them alike.
    """
    return list(sides) if turn % 2 == 0 else list(reversed(sides))


def interleaved(sides: Mapping[str, Transcriber], clips: Sequence[Clip], round_index: int) -> list[Timing]:
    """Each clip on every side in turn. The order alternates from clip to clip, and round 1 flips
    every clip's order of round 0, so over two rounds each clip has had every side first and last."""
    timings = []
    for index, clip in enumerate(clips):
        for side in order(list(sides), index + round_index):
            result = sides[side](clip)
            timings.append(Timing(side, clip.name, round_index, clip.seconds, result.seconds, result.text))
    return timings


def percentile(values: Sequence[float], q: float) -> float:
    # Linear interpolation between ranks (numpy's default), so p95 of 40 values is not simply the max.
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def peak_rss_mib(pid: int | None = None) -> float:
    """VmHWM, the most resident memory the process has had since it started, in MiB."""
    return _status_mib(pid, "VmHWM")


def rss_mib(pid: int | None = None) -> float:
    """VmRSS, the resident memory the process has now, in MiB."""
    return _status_mib(pid, "VmRSS")


def _status_mib(pid: int | None, field: str) -> float:
    status = Path(f"/proc/{pid if pid is not None else 'self'}/status").read_text()
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/{pid}/status")
