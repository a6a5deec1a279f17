"""Speech spans: where Silero VAD hears speech, packed into spans that fit one window with its margin."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from auricle.engine.protocol import SAMPLE_RATE
from auricle.engine.speech import speech_spans
from tests.support.speech import samples_of


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def test_silence_and_noise_hold_no_speech() -> None:
    noise = np.random.default_rng(3).uniform(-0.05, 0.05, 10 * SAMPLE_RATE).astype(np.float32)
    assert speech_spans(silence(10)) == []
    assert speech_spans(noise) == []


def test_a_short_recording_is_one_span_that_keeps_its_place_in_time(jfk: Path) -> None:
    speech = samples_of(jfk)
    recording = np.concatenate([silence(20), speech])
    (span,) = speech_spans(recording)
    assert 19.0 <= span.start_seconds <= 20.6
    assert span.samples <= len(speech) + SAMPLE_RATE  # the silence before it is not decoded
    audio = span.audio(recording)
    assert len(audio) == span.samples
    first = span.regions[0]
    assert np.array_equal(audio[: first["end"] - first["start"]], recording[first["start"] : first["end"]])


def test_long_speech_is_packed_into_spans_of_at_most_the_limit_in_order(jfk: Path) -> None:
    speech = samples_of(jfk)
    recording = np.concatenate([part for _ in range(6) for part in (speech, silence(3))])  # 84 s
    spans = speech_spans(recording, max_seconds=27)
    assert len(spans) >= 3
    assert all(span.samples <= 27 * SAMPLE_RATE for span in spans)
    regions = [region for span in spans for region in span.regions]
    assert all(region["start"] < region["end"] for region in regions)
    assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(regions))
    spoken = sum(span.samples for span in spans) / SAMPLE_RATE
    assert 6 * 10 <= spoken <= 6 * 12  # every repetition's speech, none of the 3 s pauses' middles
