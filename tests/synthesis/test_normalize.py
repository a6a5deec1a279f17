"""Text is read as people say it, for every voice."""

from __future__ import annotations

import pytest

from auricle.synthesis.normalize import clean, normalize


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("It costs $3.50.", "It costs three dollars and fifty cents."),
        ("Pay $1 or £20.", "Pay one dollar or twenty pounds."),
        ("A $5.3 million deal.", "A five point three million dollars deal."),
        ("Up 50% today.", "Up fifty percent today."),
        ("The 21st time.", "The twenty-first time."),
        ("Born in 1990, back in 2001.", "Born in nineteen ninety, back in two thousand one."),
        ("The 1990s.", "The nineteen nineties."),
        (
            "We sold 1,234,567 units.",
            "We sold one million two hundred thirty-four thousand five hundred sixty-seven units.",
        ),
        ("Pi is 3.14 and it is -4 outside.", "Pi is three point one four and it is minus four outside."),
        ("Meet on 2026-12-06.", "Meet on December sixth, twenty twenty-six."),
        ("At 9:30 pm.", "At nine thirty P.M."),
        ("Run 10 km.", "Run ten kilometers."),
        ("Dr. Smith and Mr. Jones", "Doctor Smith and Mister Jones"),
        ("Visit https://example.com/docs today.", "Visit example dot com slash docs today."),
        ("Mail help@example.org now.", "Mail help at example dot org now."),
    ],
)
def test_reads_as_people_say_it(text: str, spoken: str) -> None:
    assert normalize(text) == spoken


def test_control_and_zero_width_characters_are_dropped() -> None:
    assert clean("\x00a\u200bb\x1f  c\x7f") == "a b c"
    assert clean("\x01\x02\x03") == ""
