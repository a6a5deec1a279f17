"""Server VAD: where a speaker's turn starts and stops, from Silero's probabilities as they arrive.

OpenAI's `server_vad` settings: speech starts at the first chunk at or above `threshold`, and the turn
keeps `prefix_padding_ms` of audio before it; it stops once the probability has stayed below the
threshold for `silence_duration_ms`, and the turn's audio ends there, the silence included (OpenAI's
`audio_end_ms` "includes the silence duration"). Silero's own hysteresis decides what counts as
silence: it begins below `threshold - 0.15` and lasts until a chunk reaches the threshold again, so a
word's quiet end does not cut the turn. All times are
milliseconds of audio since the session began, never wall-clock time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from auricle.live.vad import CHUNK_MS

HYSTERESIS = 0.15
"""Silero's `neg_threshold` is its `threshold` less this (faster-whisper's VAD does the same)."""


@dataclass(frozen=True, slots=True)
class TurnDetection:
    threshold: float = 0.5
    prefix_padding_ms: int = 300
    silence_duration_ms: int = 500


@dataclass(frozen=True, slots=True)
class Started:
    at_ms: int
    """Where the turn's audio begins: its first speech less the prefix padding (not before `floor_ms`)."""


@dataclass(frozen=True, slots=True)
class Stopped:
    at_ms: int
    """Where the turn's audio ends: its last speech plus the silence that ended it."""


Change = Started | Stopped


class TurnDetector:
    def __init__(self, settings: TurnDetection, start_ms: int = 0) -> None:
        self.settings = settings
        self._next_ms = start_ms
        """Where the next probability's chunk begins."""
        self._speaking = False
        self._quiet_since: int | None = None
        self.floor_ms = start_ms
        """No turn starts before this: the end of audio already committed or cleared."""

    @property
    def speaking(self) -> bool:
        return self._speaking

    def feed(self, probabilities: npt.NDArray[np.float32]) -> list[Change]:
        """The turns that start or stop within these chunks, in order."""
        changes: list[Change] = []
        silence = max(self.settings.threshold - HYSTERESIS, 0.01)
        for probability in probabilities.tolist():
            at = self._next_ms
            self._next_ms += CHUNK_MS
            if not self._speaking:
                if probability >= self.settings.threshold:
                    self._speaking, self._quiet_since = True, None
                    changes.append(Started(max(at - self.settings.prefix_padding_ms, self.floor_ms)))
                continue
            if probability >= self.settings.threshold:
                self._quiet_since = None
            elif probability < silence and self._quiet_since is None:
                self._quiet_since = at
            if self._quiet_since is None:
                continue
            if self._next_ms - self._quiet_since >= self.settings.silence_duration_ms:
                self._speaking = False
                self.floor_ms = self._next_ms
                changes.append(Stopped(self._next_ms))
        return changes

    def reset(self, at_ms: int) -> None:
        """Forget any turn in progress: the audio up to `at_ms` was committed or cleared by the client."""
        self._speaking, self._quiet_since = False, None
        self.floor_ms = max(self.floor_ms, at_ms)
