from __future__ import annotations

import numpy as np

from auricle.live.timeline import Timeline, to_ms, to_samples


def test_times_are_counted_from_the_start_of_the_session() -> None:
    timeline = Timeline()
    timeline.append(np.arange(16_000, dtype=np.float32))
    timeline.drop_before(4_000)
    timeline.append(np.arange(16_000, 20_000, dtype=np.float32))
    assert (timeline.origin, timeline.end) == (4_000, 20_000)
    assert timeline.between(15_990, 16_010).tolist() == list(range(15_990, 16_010))
    assert timeline.between(0, 4_002).tolist() == [4_000, 4_001]
    assert timeline.held_seconds == 1.0


def test_dropping_everything_leaves_an_empty_buffer_at_the_end() -> None:
    timeline = Timeline()
    timeline.append(np.zeros(800, dtype=np.float32))
    timeline.drop_before(timeline.end)
    assert (timeline.origin, timeline.end, timeline.held_seconds) == (800, 800, 0.0)
    assert timeline.between(0, 800).size == 0


def test_milliseconds_and_samples() -> None:
    assert to_ms(16_000) == 1000
    assert to_samples(300) == 4_800
