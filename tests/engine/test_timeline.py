"""Times made consistent: inside the audio, in order, no overlaps; the text never touched."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from auricle.engine.timeline import tidy
from auricle.engine.transcript import Segment, Word


def segment(start: float, end: float, *words: tuple[float, float], text: str = " a") -> Segment:
    return Segment(
        0, 0, start, end, text, (), 0.0, -0.1, 1.0, 0.0, tuple(Word(" w", s, e, 0.9) for s, e in words)
    )


def test_a_segment_past_the_end_of_the_audio_ends_with_it() -> None:
    [tidied] = tidy([segment(7.5, 10.0, (7.5, 9.0), (9.0, 10.0))], 0.0, 8.24)
    assert (tidied.start, tidied.end) == (7.5, 8.24)
    assert [(word.start, word.end) for word in tidied.words] == [(7.5, 8.24), (8.24, 8.24)]


def test_an_overlapping_segment_starts_where_the_one_before_ends() -> None:
    first, second = tidy([segment(23.0, 27.0), segment(25.696, 30.0)], 0.0, 60.0)
    assert (first.start, first.end, second.start, second.end) == (23.0, 27.0, 27.0, 30.0)


def test_times_before_the_window_move_into_it_and_the_text_stays() -> None:
    [tidied] = tidy([segment(1.0, 2.0, text=" kept")], 5.0, 9.0)
    assert (tidied.start, tidied.end, tidied.text) == (5.0, 5.0, " kept")


times = st.floats(-5.0, 50.0, allow_nan=False)
pairs = st.tuples(times, times)


@given(
    st.lists(st.tuples(pairs, st.lists(pairs, max_size=4)), max_size=8),
    st.floats(0.0, 10.0),
    st.floats(0.1, 40.0),
)
def test_every_time_is_inside_ordered_and_unoverlapped(
    raw: list[tuple[tuple[float, float], list[tuple[float, float]]]], start: float, length: float
) -> None:
    end = round(start + length, 3)
    start = round(start, 3)
    tidied = tidy([segment(s, e, *words) for (s, e), words in raw], start, end)
    assert len(tidied) == len(raw)
    previous = start
    for each in tidied:
        assert previous <= each.start <= each.end <= end
        word_previous = each.start
        for word in each.words:
            assert word_previous <= word.start <= word.end <= each.end
            word_previous = word.end
        previous = each.end
