"""Spans whose transcript left speech out, and where they are cut to transcribe it after all."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from auricle.engine.coverage import LEFT_OUT_SECONDS, MIN_PART_SECONDS, SECONDS_PER_TOKEN, cut, left_out
from auricle.engine.protocol import SAMPLE_RATE
from auricle.engine.speech import Span
from auricle.engine.transcript import Segment
from tests.support.speech import samples_of


def segment(start: float, end: float, tokens: int = 100) -> Segment:
    return Segment(0, 0, start, end, " words", tuple(range(tokens)), 0.0, -0.2, 1.2, 0.01)


def span(start: float, end: float) -> Span:
    return Span(round(start * SAMPLE_RATE), round(end * SAMPLE_RATE))


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


def test_a_transcript_to_near_the_end_of_its_span_covers_it() -> None:
    assert left_out([segment(10.0, 14.0), segment(14.0, 26.5)], span(10.0, 30.0)) is None
    # A span holds pauses of up to 3 s, and Whisper's last timestamp may be early: not enough to tell.
    assert left_out([segment(10.0, 30.0 - LEFT_OUT_SECONDS + 0.1)], span(10.0, 30.0)) is None


def test_a_transcript_that_stops_early_left_the_rest_out() -> None:
    # The French menu: 22.6 s of speech, transcribed as two sentences timed 0-7 s.
    assert left_out([segment(0.0, 7.0)], span(0.0, 22.6)) == 7.0
    assert left_out([segment(40.0, 45.0), segment(45.0, 46.0)], span(40.0, 60.0)) == 46.0


def test_an_ending_whose_words_cannot_fill_its_time_left_the_rest_out() -> None:
    # The same menu at the end of a long recording: 32 tokens, timed over all of a 22.8 s span.
    assert left_out([segment(145.2, 168.0, tokens=32)], span(145.2, 168.0)) == 145.2 + 32 * SECONDS_PER_TOKEN
    assert left_out([segment(145.2, 168.0, tokens=40)], span(145.2, 168.0)) is None


def test_a_transcript_that_starts_late_left_the_start_out() -> None:
    # The French menu's last span, short windows: its last two sentences, timed 159.6-167.6 of 145.2-168.
    assert left_out([segment(159.6, 167.6, tokens=32)], span(145.2, 168.0)) == 159.6
    # Speech is cut into spans where VAD hears it start, so a second or two before the first words is
    # Whisper's timing, not speech left out.
    assert left_out([segment(12.0, 30.0)], span(10.0, 30.0)) is None


def test_a_stretch_without_words_inside_the_span_left_it_out() -> None:
    # A span holds no pause over 3 s, so 6 s between two segments' words is speech nobody wrote down:
    # the span is cut where the words before it stop.
    assert left_out([segment(10.0, 14.0), segment(20.0, 30.0)], span(10.0, 30.0)) == 14.0
    # The longest stretch decides: here the one at the end.
    found = left_out([segment(10.0, 14.0), segment(18.5, 21.0), segment(21.0, 22.0)], span(10.0, 30.0))
    assert found == 22.0
    assert left_out([segment(10.0, 14.0), segment(17.5, 30.0)], span(10.0, 30.0)) is None


def test_a_span_is_cut_at_the_pause_nearest_where_its_transcript_stopped(jfk: Path) -> None:
    speech = samples_of(jfk)[: 4 * SAMPLE_RATE]
    # Speech, a 1 s pause from 4 s to 5 s, speech, a 1 s pause from 9 s to 10 s, speech (and the
    # speaker's own pause 2.8 s into each part).
    recording = np.concatenate([speech, silence(1), speech, silence(1), speech])
    whole = Span(0, len(recording))
    first, second = cut(recording, whole, near_seconds=9.2) or pytest_fail()
    assert (first.start, first.end, second.end) == (whole.start, second.start, whole.end)
    assert 9.0 <= first.end_seconds <= 10.0
    first, second = cut(recording, whole, near_seconds=4.2) or pytest_fail()
    assert 4.0 <= first.end_seconds <= 5.0


def test_a_span_without_a_pause_is_cut_where_its_transcript_stopped(jfk: Path) -> None:
    speech = samples_of(jfk)[: 3 * SAMPLE_RATE]
    parts = cut(speech, Span(0, len(speech), sure=False), near_seconds=1.5)
    assert parts is not None
    assert [(part.start, part.end, part.sure) for part in parts] == [
        (0, round(1.5 * SAMPLE_RATE), False),
        (round(1.5 * SAMPLE_RATE), len(speech), False),
    ]


def test_a_part_too_short_to_transcribe_is_no_cut(jfk: Path) -> None:
    speech = samples_of(jfk)[: 3 * SAMPLE_RATE]
    assert cut(speech, Span(0, len(speech)), near_seconds=MIN_PART_SECONDS / 2) is None
    assert cut(speech, Span(0, len(speech)), near_seconds=3.0 - MIN_PART_SECONDS / 2) is None


def pytest_fail() -> tuple[Span, Span]:
    raise AssertionError("no cut")
