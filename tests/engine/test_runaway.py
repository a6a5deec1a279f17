"""The signs of a runaway window: repeated phrases, too many tokens, Whisper's own quality checks."""

from __future__ import annotations

import pytest

from auricle.engine.runaway import (
    echoes,
    fails_quality,
    ran_away,
    repeats_itself,
    token_budget,
    too_compressible_only,
    without_loops,
)

THRESHOLDS = {"compression_ratio_threshold": 2.4, "log_prob_threshold": -1.0, "no_speech_threshold": 0.6}


@pytest.mark.parametrize(
    "tokens",
    [
        [7, 7, 7, 7],  # "Press Press Press Press"
        [1, 2, 5, 6, 5, 6, 5, 6, 5, 6, 9],  # a two-token phrase four times, mid-sentence
        [*range(10)] * 4,  # a ten-token phrase four times
    ],
)
def test_a_phrase_four_times_in_a_row_is_a_loop(tokens: list[int]) -> None:
    assert repeats_itself(tokens)


@pytest.mark.parametrize(
    "tokens",
    [
        [7, 7, 7],  # "no, no, no" is speech
        [1, 2, 1, 2, 1, 2, 3],
        [*range(11)] * 4,  # longer phrases than looked for
        [1, 2, 3, 1, 2, 3, 4, 1, 2, 3],  # repeated, but not back to back four times
        [],
    ],
)
def test_speech_that_repeats_less_is_not_a_loop(tokens: list[int]) -> None:
    assert not repeats_itself(tokens)


def test_the_token_budget_grows_with_the_audio_and_leaves_room_on_tiny_windows() -> None:
    assert token_budget(0.0) == 16
    assert token_budget(2.5) == 66
    assert token_budget(30.0) > 448  # a full window is never capped below Whisper's own limit


def test_a_window_runs_away_at_its_budget_or_in_a_loop() -> None:
    assert ran_away(list(range(66)), budget=66)
    assert not ran_away(list(range(65)), budget=66)
    assert ran_away([3, 3, 3, 3], budget=66)


@pytest.mark.parametrize(
    ("avg_logprob", "compression_ratio", "no_speech_prob", "fails"),
    [
        (-0.3, 1.5, 0.1, False),
        (-0.3, 2.5, 0.1, True),  # too repetitive
        (-1.2, 1.5, 0.1, True),  # too unlikely
        (-1.2, 1.5, 0.7, False),  # unlikely because there is no speech: not retried
        (-0.3, 2.5, 0.7, True),  # silence does not excuse a repetitive one
    ],
)
def test_quality_checks_are_faster_whispers(
    avg_logprob: float, compression_ratio: float, no_speech_prob: float, fails: bool
) -> None:
    assert fails_quality(avg_logprob, compression_ratio, no_speech_prob, **THRESHOLDS) is fails


def test_a_check_without_its_threshold_never_fails() -> None:
    off = {"compression_ratio_threshold": None, "log_prob_threshold": None, "no_speech_threshold": None}
    assert not fails_quality(-5.0, 9.0, 0.0, **off)


@pytest.mark.parametrize(
    ("tokens", "kept"),
    [
        ([1, 2, 7, 7, 7, 7, 7, 3], [1, 2, 7, 3]),  # "Press Press Press Press Press" written once
        ([1, 5, 6, 5, 6, 5, 6, 5, 6, 9], [1, 5, 6, 9]),
        ([*range(10)] * 5, [*range(10)]),
        ([7, 7, 7], [7, 7, 7]),  # not a loop: left alone
        ([], []),
    ],
)
def test_a_loop_that_survives_is_written_once(tokens: list[int], kept: list[int]) -> None:
    assert without_loops(tokens) == kept


@pytest.mark.parametrize(
    "text",
    ["Nail card, Nail card, Nail card.", "3.3.3.", "Жиди, жиди.", "18 18", "Bye bye."],
)
def test_words_written_twice_in_a_row_are_an_echo(text: str) -> None:
    assert echoes(text)


@pytest.mark.parametrize(
    "text",
    ["Press 3 for advanced options.", "ஒரு அலாப்பிடா.", "one two, one three", "", "Ten of clubs."],
)
def test_words_written_once_are_not(text: str) -> None:
    assert not echoes(text)


@pytest.mark.parametrize(
    ("avg_logprob", "compression_ratio", "no_speech_prob", "alone"),
    [
        (-0.3, 2.5, 0.1, True),  # a phone menu: every word likely, the text repetitive
        (-1.2, 2.5, 0.1, False),  # unlikely too
        (-0.3, 1.5, 0.1, False),  # passes
        (-1.2, 1.5, 0.1, False),  # fails for its log-probability
    ],
)
def test_a_decode_can_fail_for_its_compression_ratio_alone(
    avg_logprob: float, compression_ratio: float, no_speech_prob: float, alone: bool
) -> None:
    assert too_compressible_only(avg_logprob, compression_ratio, no_speech_prob, **THRESHOLDS) is alone


def test_an_echo_can_be_asked_to_span_two_words_or_more() -> None:
    assert echoes("no, no, I said", shortest=1)
    assert not echoes("no, no, I said", shortest=2)
    assert echoes("to the left, to the left", shortest=2)
