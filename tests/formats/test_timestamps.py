"""`clock`: the cue timestamps of SRT (`,`) and WebVTT (`.`), hours always written."""

from __future__ import annotations

import pytest

from auricle.formats.timestamps import clock


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0.0, "00:00:00.000"),
        (0, "00:00:00.000"),
        (0.001, "00:00:00.001"),
        (1.5, "00:00:01.500"),
        (9.999, "00:00:09.999"),
        (59.0, "00:00:59.000"),
        (60.0, "00:01:00.000"),
        (61.25, "00:01:01.250"),
        (599.5, "00:09:59.500"),
        (3599.999, "00:59:59.999"),
    ],
)
def test_under_an_hour_still_writes_hours(seconds: float, expected: str) -> None:
    assert clock(seconds, ".") == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (3600.0, "01:00:00.000"),
        (3661.5, "01:01:01.500"),
        (7322.042, "02:02:02.042"),
        (35999.999, "09:59:59.999"),
        (36000.0, "10:00:00.000"),
        (4 * 3600.0 + 0.5, "04:00:00.500"),
    ],
)
def test_over_an_hour(seconds: float, expected: str) -> None:
    assert clock(seconds, ".") == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        # To the nearest millisecond, not truncated.
        (1.23456, "00:00:01.235"),
        (1.23449, "00:00:01.234"),
        (0.0004, "00:00:00.000"),
        (0.0006, "00:00:00.001"),
        # Float noise from Whisper's timestamps does not leak into the clock.
        (10.360000000000001, "00:00:10.360"),
        (3.319999933242798, "00:00:03.320"),
        # Rounding carries into seconds, minutes and hours.
        (0.9996, "00:00:01.000"),
        (59.9996, "00:01:00.000"),
        (3599.9996, "01:00:00.000"),
    ],
)
def test_rounds_to_the_nearest_millisecond(seconds: float, expected: str) -> None:
    assert clock(seconds, ".") == expected


@pytest.mark.parametrize("seconds", [-0.0, -0.0004, -0.5, -1.0, -3600.0])
def test_negative_times_clamp_to_zero(seconds: float) -> None:
    assert clock(seconds, ",") == "00:00:00,000"
    assert clock(seconds, ".") == "00:00:00.000"


@pytest.mark.parametrize(
    ("marker", "expected"),
    [(",", "01:02:03,456"), (".", "01:02:03.456")],
)
def test_decimal_marker(marker: str, expected: str) -> None:
    assert clock(3723.456, marker) == expected


def test_only_the_decimal_marker_differs_between_srt_and_vtt() -> None:
    for seconds in (0.0, 0.5, 61.001, 3723.456, 86399.999):
        assert clock(seconds, ",") == clock(seconds, ".").replace(".", ",")
        assert clock(seconds, ".").count(":") == 2
