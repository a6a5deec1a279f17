"""What the speaker stage produces: who spoke from when to when."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Turn:
    start: float
    end: float
    speaker: int
    """Index into `Diarization.labels`."""


@dataclass(frozen=True, slots=True)
class Diarization:
    turns: tuple[Turn, ...]
    """Ordered by start; turns of different speakers may overlap (both talking)."""
    labels: tuple[str, ...]
    """Each speaker's label: a known speaker's name, else `A`, `B`, ... in order of first appearance."""

    def speaker_at(self, start: float, end: float) -> int | None:
        """The speaker who talks longest within [start, end]; else the one whose turn is nearest."""
        best, best_overlap = None, 0.0
        for turn in self.turns:
            overlap = min(end, turn.end) - max(start, turn.start)
            if overlap > best_overlap:
                best, best_overlap = turn.speaker, overlap
        if best is not None or not self.turns:
            return best
        middle = (start + end) / 2
        nearest = min(self.turns, key=lambda t: max(t.start - middle, middle - t.end))
        return nearest.speaker


def letters(count: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ...: OpenAI's labels for speakers no reference named."""
    out = []
    for index in range(count):
        label, n = "", index
        while True:
            label = chr(ord("A") + n % 26) + label
            n = n // 26 - 1
            if n < 0:
                break
        out.append(label)
    return out
