"""`temperature_schedule`: the fallback temperatures, as in OpenAI's reference implementation."""

from __future__ import annotations

import itertools
import math

import pytest

from auricle.engine.options import DecodeOptions, temperature_schedule


@pytest.mark.parametrize(
    ("temperature", "expected"),
    [
        (0, (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)),
        (0.0, (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)),
        (0.2, (0.2, 0.4, 0.6, 0.8, 1.0)),
        (0.4, (0.4, 0.6, 0.8, 1.0)),
        (0.6, (0.6, 0.8, 1.0)),
        (0.8, (0.8, 1.0)),
        (1.0, (1.0,)),
        (1, (1.0,)),
        # Starting off the 0.2 grid: step up by 0.2 while the value stays <= 1.0 (whisper's
        # `np.arange(t, 1.0 + 1e-6, 0.2)`).
        (0.1, (0.1, 0.3, 0.5, 0.7, 0.9)),
        (0.3, (0.3, 0.5, 0.7, 0.9)),
        (0.5, (0.5, 0.7, 0.9)),
        (0.7, (0.7, 0.9)),
        (0.9, (0.9,)),
        (0.95, (0.95,)),
        (0.85, (0.85,)),
        (0.75, (0.75, 0.95)),
        (0.05, (0.05, 0.25, 0.45, 0.65, 0.85)),
    ],
)
def test_schedule(temperature: float, expected: tuple[float, ...]) -> None:
    schedule = temperature_schedule(temperature)

    assert schedule == pytest.approx(expected, abs=1e-9)
    assert len(schedule) == len(expected)


def test_schedule_invariants_over_a_fine_grid() -> None:
    """From the requested temperature up by 0.2 while <= 1.0: never past 1.0, never stopping early."""
    wrong = {}
    for hundredths in range(101):
        temperature = hundredths / 100
        schedule = temperature_schedule(temperature)
        expected_length = int((1.0 + 1e-6 - temperature) / 0.2) + 1
        ok = (
            schedule[0] == pytest.approx(temperature)
            and len(schedule) == expected_length
            and all(0.0 <= value <= 1.0 for value in schedule)
            and all(b - a == pytest.approx(0.2) for a, b in itertools.pairwise(schedule))
        )
        if not ok:
            wrong[temperature] = schedule
    assert wrong == {}


def test_schedule_values_are_clean_decimals() -> None:
    # No float noise such as 0.6000000000000001 reaches the model or verbose_json's `temperature`.
    assert temperature_schedule(0.0)[3] == 0.6
    assert repr(temperature_schedule(0.0)[3]) == "0.6"


@pytest.mark.parametrize(
    "temperature", [-0.1, -1e-9, 1.0000001, 1.5, 2.0, -1.0, math.inf, -math.inf, math.nan]
)
def test_out_of_range_raises(temperature: float) -> None:
    with pytest.raises(ValueError, match="outside"):
        temperature_schedule(temperature)


def test_decode_options_defaults() -> None:
    options = DecodeOptions()

    assert options.task == "transcribe"
    assert options.language is None
    assert options.prompt is None
    assert options.temperature == 0.0
    assert options.word_timestamps is False
