"""Speech spans: where Silero VAD hears speech, packed into spans that fit one window with its margin."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
from bench.accuracy import manifest

from auricle.engine.options import Chunking
from auricle.engine.protocol import SAMPLE_RATE
from auricle.engine.speech import MAX_PAUSE_SECONDS, Span, speech_spans, whole, with_confidence
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
    assert np.array_equal(span.audio(recording), recording[span.start : span.end])


def test_long_speech_is_gathered_into_spans_of_at_most_the_limit_pauses_and_all(jfk: Path) -> None:
    speech = samples_of(jfk)
    recording = np.concatenate([part for _ in range(6) for part in (speech, silence(2.5))])  # 81 s
    spans = speech_spans(recording, max_seconds=27)
    assert len(spans) >= 3
    assert all(span.samples <= 27 * SAMPLE_RATE for span in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert any(span.samples > 13 * SAMPLE_RATE for span in spans)  # pauses of 2.5 s stay inside spans
    spoken = sum(span.samples for span in spans) / SAMPLE_RATE
    assert 6 * 10 <= spoken <= 81


def test_a_long_pause_ends_a_span(jfk: Path) -> None:
    speech = samples_of(jfk)[: 5 * SAMPLE_RATE]
    recording = np.concatenate([speech, silence(MAX_PAUSE_SECONDS + 2), speech])
    first, second = speech_spans(recording)
    assert (second.start - first.end) / SAMPLE_RATE > MAX_PAUSE_SECONDS


def test_a_requests_chunking_cuts_at_every_pause_it_names(jfk: Path) -> None:
    speech = samples_of(jfk)
    recording = np.concatenate([speech, silence(2.5), speech])
    (own,) = speech_spans(recording, max_seconds=27)  # Auricle's own: a pause of 2.5 s stays inside
    assert own.samples > 2 * len(speech)
    cut = speech_spans(recording, max_seconds=27, chunking=Chunking(silence_duration_ms=1500))
    assert len(cut) == 2
    assert cut[0].end <= cut[1].start
    assert 11.0 <= cut[1].start_seconds <= 13.5 + 0.3
    # Kennedy pauses for a second after "Americans" and after "ask not": at 1 s, those cut too.
    assert len(speech_spans(recording, max_seconds=27, chunking=Chunking(silence_duration_ms=1000))) == 6
    tight = speech_spans(
        recording, max_seconds=27, chunking=Chunking(silence_duration_ms=1500, prefix_padding_ms=0)
    )
    assert tight[1].start - cut[1].start == round(0.3 * SAMPLE_RATE)  # the 300 ms kept before speech


def test_a_sound_silero_is_not_sure_of_is_an_unsure_span() -> None:
    # A goat's bleat: Silero's probability passes its 0.5 onset but never 0.8, and Whisper would write
    # "Ha ha ha!" for it. A spoken digit of the same length is sure.
    corpus = manifest.default_corpus()

    def sure(path: str) -> list[bool | None]:
        recording = samples_of(corpus / path)
        spans = speech_spans(recording)
        assert all(span.sure is None for span in spans)  # not measured until transcribed
        return [with_confidence(recording, span).sure for span in spans]

    assert sure("tuxpaint-sfx/animals/mammals/bovines/goat.ogg") == [False]
    assert sure("fsdd/7_lucas_12.wav") == [True]


def test_the_whole_recording_as_spans_of_at_most_the_limit_one_after_another() -> None:
    recording = np.zeros(int(65.5 * SAMPLE_RATE), np.float32)
    spans = whole(recording, max_seconds=30)
    assert [(span.start_seconds, span.end_seconds) for span in spans] == [(0, 30), (30, 60), (60, 65.5)]
    assert whole(recording[:SAMPLE_RATE], max_seconds=30) == [Span(0, SAMPLE_RATE)]
