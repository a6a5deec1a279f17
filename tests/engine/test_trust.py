"""Which segments are kept: the rules alone, and base on the clips that showed why they are needed."""

from __future__ import annotations

import pytest
from bench.accuracy import manifest

from auricle.engine.options import DecodeOptions
from auricle.engine.transcript import Segment
from auricle.engine.trust import failed_throughout, trusted
from auricle.engine.whisper import FasterWhisperModel
from tests.support.speech import samples_of


def segment(avg_logprob: float, no_speech_prob: float, temperature: float = 0.0) -> Segment:
    return Segment(
        id=0,
        seek=0,
        start=0.0,
        end=1.0,
        text=" You",
        tokens=(),
        temperature=temperature,
        avg_logprob=avg_logprob,
        compression_ratio=1.0,
        no_speech_prob=no_speech_prob,
    )


@pytest.mark.parametrize(
    ("avg_logprob", "no_speech_prob", "kept"),
    [
        (-0.48, 0.22, True),
        (-0.79, 0.53, True),  # a lone "zero", read right: Whisper is unsure of silence around one word
        (-0.5, 0.66, True),
        (-0.91, 0.56, False),  # a Russian "telephone call" for a robot's glitch
        (-1.0, 0.49, False),  # "I'm sorry, I'm sorry" for a hippopotamus
    ],
)
def test_of_an_unsure_span_only_what_whisper_reads_with_confidence_is_kept(
    avg_logprob: float, no_speech_prob: float, kept: bool
) -> None:
    assert trusted(segment(avg_logprob, no_speech_prob), sure=False, fell_back=True) is kept


@pytest.mark.parametrize(
    ("avg_logprob", "no_speech_prob", "kept"),
    [
        (-0.96, 0.64, False),  # "You" for a logoff chime, at a 15 s window
        (-0.98, 0.78, False),
        (-0.5, 0.66, True),  # likely silence, but read with confidence
        (-0.95, 0.48, True),  # unsure of the words, but not of the speech
        (-0.2, 0.01, True),
    ],
)
def test_of_a_sure_span_what_whisper_calls_likely_silence_needs_confidence(
    avg_logprob: float, no_speech_prob: float, kept: bool
) -> None:
    for sure in (True, None):
        assert trusted(segment(avg_logprob, no_speech_prob), sure=sure, fell_back=True) is kept


def test_a_window_that_failed_at_every_temperature_is_dropped() -> None:
    garbage = segment(-1.12, 0.05, temperature=1.0)
    assert failed_throughout(garbage)
    assert not trusted(garbage, sure=True, fell_back=True)


@pytest.mark.parametrize(
    "passed",
    [
        segment(-1.2, 0.05, temperature=0.8),  # failed at 0.8: a decode at 1.0 was still to come
        segment(-0.9, 0.05, temperature=1.0),  # passed at the last temperature
        segment(-1.0, 0.05, temperature=1.0),  # at the threshold is not below it
    ],
)
def test_only_a_decode_below_the_threshold_at_the_last_temperature_failed_throughout(
    passed: Segment,
) -> None:
    assert not failed_throughout(passed)
    assert trusted(passed, sure=True, fell_back=True)


def test_a_request_that_asked_for_one_temperature_keeps_what_it_sampled() -> None:
    sampled = segment(-1.4, 0.05, temperature=1.0)
    assert trusted(sampled, sure=True, fell_back=False)


@pytest.mark.model
@pytest.mark.parametrize(
    "clip",
    [
        # Silero is sure of speech in both, and base wrote "You" for them in a 15 s window, greedily
        # (no-speech 0.64-0.78, log-probability -0.96 to -0.98).
        "sound-themes/Yaru/desktop-logoff.oga",
        "sound-themes/freedesktop/service-logout.oga",
    ],
)
def test_base_writes_nothing_for_chimes_silero_takes_for_speech(base: FasterWhisperModel, clip: str) -> None:
    path = manifest.default_corpus() / clip
    transcript = base.transcribe(samples_of(path), DecodeOptions(), lambda: False)
    assert transcript.text == ""
