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


def test_with_a_lead_spans_start_in_spoken_order_the_lead_alone_until_one_is_done() -> None:
    spans = [Span(0, 10), Span(20, 50), Span(60, 65), Span(70, 90)]
    running: list[int] = []
    most_running_before_first_done: list[int] = []
    first_done = threading.Event()
    lock = threading.Lock()
    finished: list[tuple[int, int]] = []

    def decode(span: Span) -> int:
        with lock:
            running.append(span.start)
            if not first_done.is_set():
                most_running_before_first_done.append(len(running))
        if span.start == 0:
            first_done.set()
        with lock:
            running.remove(span.start)
        return span.start

    with ThreadPoolExecutor(4) as pool:
        starts = in_order(
            pool, decode, spans, at_once=4, on_done=lambda i, r: finished.append((i, r)), lead=1
        )
    assert starts == [0, 20, 60, 70]
    assert max(most_running_before_first_done) == 1
    assert sorted(finished) == [(0, 0), (1, 20), (2, 60), (3, 70)]
