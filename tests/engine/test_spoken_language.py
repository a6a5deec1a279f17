"""Which language each span is transcribed in when the request names none."""

from __future__ import annotations

import pytest

from auricle.engine.spoken_language import Detected, heard_before, most_spoken, prevailing, settled, weighed


def test_the_recording_language_weighs_seconds_by_certainty() -> None:
    spans = [Detected("en", 0.9, 20.0), Detected("de", 0.95, 10.0), Detected("de", 0.5, 15.0)]
    assert prevailing(spans) == "en"  # 18 against 9.5 + 7.5


def test_a_long_clear_span_keeps_its_own_language() -> None:
    assert settled(Detected("de", 0.97, 25.0), "en") == "de"


@pytest.mark.parametrize("detected", [Detected("sk", 0.97, 3.0), Detected("sk", 0.55, 25.0)])
def test_a_short_or_unclear_span_takes_the_recordings_language(detected: Detected) -> None:
    assert settled(detected, "cs") == "cs"


def test_the_top_level_language_is_the_one_spoken_longest() -> None:
    assert most_spoken([("en", 29.3), ("de", 30.6)]) == "de"


def test_no_span_no_language() -> None:
    with pytest.raises(ValueError, match="no span"):
        prevailing([])
    with pytest.raises(ValueError, match="no span"):
        most_spoken([])


def test_what_was_heard_is_summed_per_language_and_counts_again_as_heard() -> None:
    heard = weighed([Detected("cs", 0.5, 4.0), Detected("sk", 0.9, 2.0), Detected("cs", 0.25, 4.0)])
    assert dict(heard) == {"cs": 3.0, "sk": 1.8}
    assert prevailing([*heard_before(heard), Detected("pl", 0.9, 3.0)]) == "cs"
