"""Spans side by side: results in recording order, longest started first, a freed place reused at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from auricle.engine.fanout import in_order
from auricle.engine.speech import Span


def test_a_finished_span_gives_its_place_to_the_next_even_before_older_ones_finish() -> None:
    # Span 0 can only finish once span 2 has started: with two places, span 2 starts only because
    # span 1's finishing freed one. Waiting for the oldest first would never get there.
    spans = [Span(index, index + 1) for index in range(3)]
    third_started = threading.Event()

    def decode(span: Span) -> int:
        if span.start == 0:
            assert third_started.wait(10)
        if span.start == 2:
            third_started.set()
        return span.start

    with ThreadPoolExecutor(3) as pool:
        starts = in_order(pool, decode, spans, at_once=2)
    assert starts == [0, 1, 2]  # in order all the same


def test_spans_start_longest_first_and_come_back_in_recording_order() -> None:
    spans = [Span(0, 10), Span(20, 50), Span(60, 65), Span(70, 90)]
    started: list[int] = []

    def decode(span: Span) -> int:
        started.append(span.start)
        return span.start

    with ThreadPoolExecutor(1) as pool:
        starts = in_order(pool, decode, spans, at_once=1)
    assert started == [20, 70, 0, 60]
    assert starts == [0, 20, 60, 70]
