from __future__ import annotations

import pytest

from auricle.engine.transcript import Segment
from auricle.engine.trust import failed_throughout, trusted


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
    [(-0.48, 0.22, True), (-0.95, 0.48, False), (-0.5, 0.66, False), (-1.0, 0.71, False)],
)
def test_of_an_unsure_span_only_what_whisper_is_sure_of_is_kept(
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
