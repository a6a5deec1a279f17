"""The temperature fallback goes on only while a window loops."""

from __future__ import annotations

from dataclasses import dataclass

from auricle.engine.fallback import failed, given_up, hopeless
from tests.support.whisper_options import options


@dataclass(frozen=True)
class Result:
    no_speech_prob: float


def decode(
    avg_logprob: float, compression_ratio: float, temperature: float = 0.0, no_speech: float = 0.05
) -> tuple[Result, float, float, float]:
    return Result(no_speech), avg_logprob, temperature, compression_ratio


def test_an_unsure_decode_that_does_not_loop_ends_the_fallback() -> None:
    # "Deze vis ziet er vagelijk bekend uit." read as Portuguese at -1.40: every hotter sample was less sure.
    unsure = decode(-1.40, 0.93)
    assert failed(unsure, options())
    assert hopeless(unsure, options())


def test_a_loop_is_decoded_again_hotter() -> None:
    # "No teda!" (1.8 s) came back as one character 400 times at temperature 0 (ratio 13.4, -0.11).
    looping = decode(-0.11, 13.44)
    assert failed(looping, options())
    assert not hopeless(looping, options())
    assert not hopeless(decode(-1.9, 3.0), options())
    assert failed(decode(-1.9, 3.0), options())


def test_a_window_given_up_reports_the_last_temperature_so_trust_drops_it() -> None:
    tried = [decode(-0.11, 13.44, 0.0), decode(-1.24, 0.58, 0.2)]
    chosen = given_up(tried, options())
    # The likeliest of those that did not loop, as faster-whisper chooses when every temperature failed.
    assert chosen[1:] == (-1.24, 1.0, 0.58)


def test_a_window_given_up_after_loops_only_keeps_the_likeliest_loop() -> None:
    tried = [decode(-0.5, 9.0, 0.0), decode(-0.3, 5.0, 0.2)]
    assert given_up(tried, options())[1:] == (-0.3, 1.0, 5.0)


def test_a_decode_stopped_by_its_cap_counts_as_a_loop_when_the_window_is_given_up() -> None:
    # A capped sample can look sound (-0.42, ratio 2.0) only because it was cut off.
    capped, unsure = decode(-0.42, 2.0, 0.2), decode(-1.69, 1.2, 0.8)
    chosen = given_up([capped, unsure], options(), cut_off=lambda decoded: decoded is capped)
    assert chosen[1:] == (-1.69, 1.0, 1.2)
