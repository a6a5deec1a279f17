from __future__ import annotations

import numpy as np

from auricle.live.turns import Started, Stopped, TurnDetection, TurnDetector
from auricle.live.vad import CHUNK_MS


def _probabilities(*runs: tuple[float, int]) -> np.ndarray:
    """Runs of (probability, chunks)."""
    return np.concatenate([np.full(count, p, dtype=np.float32) for p, count in runs])


def test_a_turn_starts_with_its_padding_and_stops_after_the_silence() -> None:
    detector = TurnDetector(TurnDetection(threshold=0.5, prefix_padding_ms=300, silence_duration_ms=500))
    changes = detector.feed(_probabilities((0.1, 50), (0.9, 40), (0.05, 30)))
    speech_starts, speech_ends = 50 * CHUNK_MS, 90 * CHUNK_MS
    silence_chunks = -(-500 // CHUNK_MS)
    assert changes == [Started(speech_starts - 300), Stopped(speech_ends + silence_chunks * CHUNK_MS)]


def test_the_padding_never_reaches_before_what_was_committed() -> None:
    detector = TurnDetector(TurnDetection(prefix_padding_ms=300), start_ms=1000)
    detector.reset(1200)
    assert detector.feed(_probabilities((0.1, 3), (0.9, 1))) == [Started(1200)]


def test_a_quiet_moment_shorter_than_the_silence_does_not_end_the_turn() -> None:
    detector = TurnDetector(TurnDetection(silence_duration_ms=500))
    changes = detector.feed(_probabilities((0.9, 10), (0.05, 10), (0.9, 10)))
    assert changes == [Started(0)]
    assert detector.speaking


def test_probabilities_between_the_two_thresholds_keep_the_silence_counting() -> None:
    """Silero's hysteresis: below threshold - 0.15 starts a silence, only the threshold ends it."""
    detector = TurnDetector(TurnDetection(threshold=0.5, silence_duration_ms=320))
    changes = detector.feed(_probabilities((0.9, 5), (0.1, 2), (0.45, 20)))
    assert [type(change) for change in changes] == [Started, Stopped]


def test_times_run_on_across_turns() -> None:
    detector = TurnDetector(TurnDetection(prefix_padding_ms=0, silence_duration_ms=320))
    first = detector.feed(_probabilities((0.9, 10), (0.0, 10)))
    second = detector.feed(_probabilities((0.0, 5), (0.9, 10), (0.0, 10)))
    assert first == [Started(0), Stopped(20 * CHUNK_MS)]
    assert second == [Started(25 * CHUNK_MS), Stopped(45 * CHUNK_MS)]


def test_reset_forgets_the_turn_in_progress() -> None:
    detector = TurnDetector(TurnDetection())
    detector.feed(_probabilities((0.9, 5)))
    detector.reset(160)
    assert not detector.speaking
    assert detector.feed(_probabilities((0.0, 40))) == []
