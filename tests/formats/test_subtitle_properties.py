"""Properties of the SRT and WebVTT bodies for any segments, checked with independent parsers.

Whatever Whisper puts in a segment's text (newlines, "-->", nothing at all), the body must parse, hold one
cue per spoken segment at the segment's times to the millisecond, and keep every cue on one line.
"""

from __future__ import annotations

from datetime import timedelta

import srt as srt_parser
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from auricle.engine.transcript import Segment, Transcript
from auricle.formats.render import TEXT_MEDIA_TYPE, ResponseFormat, render
from tests.support.transcripts import segment, transcript

# About 31 years: far beyond any recording, well inside what `timedelta` (and so the srt package) can hold.
MAX_SECONDS = 1e9
SECONDS = st.floats(min_value=0, max_value=MAX_SECONDS, allow_nan=False, allow_infinity=False)
# Arbitrary text, plus the pieces that break subtitle files when copied into a cue verbatim.
TEXT = st.one_of(
    st.text(),
    st.lists(st.sampled_from(["-->", "\n", "\r\n", "\n\n", " ", "", "1", "00:00:01,000", "WEBVTT", "a"])).map(
        "".join
    ),
)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)


@st.composite
def segments(draw: st.DrawFn) -> Segment:
    # Whisper's segments never end before they start; how they follow each other is not constrained.
    start, end = sorted([draw(SECONDS), draw(SECONDS)])
    return segment(0, start, end, draw(TEXT))


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    return transcript(*draw(st.lists(segments(), max_size=8)))


TRANSCRIPTS = transcripts()


def spoken(subject: Transcript) -> list[Segment]:
    # Blank segments get no cue on purpose: an empty cue is invalid in both formats.
    return [s for s in subject.segments if s.text.strip()]


def within_half_a_millisecond(cue_ms: int, seconds: float) -> bool:
    # timestamps.clock rounds to the nearest millisecond.
    return abs(cue_ms - seconds * 1000) <= 0.5


def one_line(text: str) -> str:
    return " ".join(text.split())


@PROPERTY_SETTINGS
@given(TRANSCRIPTS)
def test_srt_parses_with_a_cue_per_spoken_segment(subject: Transcript) -> None:
    rendered = render(subject, ResponseFormat.SRT)
    cues = list(srt_parser.parse(rendered.body))
    expected = spoken(subject)

    assert rendered.media_type == TEXT_MEDIA_TYPE
    assert [cue.index for cue in cues] == list(range(1, len(expected) + 1))
    for cue, source in zip(cues, expected, strict=True):
        assert within_half_a_millisecond(cue.start // timedelta(milliseconds=1), source.start)
        assert within_half_a_millisecond(cue.end // timedelta(milliseconds=1), source.end)
        # The srt package reads a blank line inside a cue as part of it, so the text itself is checked.
        assert "\n" not in cue.content
        assert cue.content == one_line(source.text)


@PROPERTY_SETTINGS
@given(TRANSCRIPTS)
def test_vtt_parses_strictly_with_a_cue_per_spoken_segment(subject: Transcript) -> None:
    rendered = render(subject, ResponseFormat.VTT)
    # Strict: a malformed cue block raises instead of being skipped, as a browser would drop it.
    cues = webvtt.from_string(rendered.body, strict=True).captions
    expected = spoken(subject)

    assert rendered.media_type == TEXT_MEDIA_TYPE
    assert len(cues) == len(expected)
    for cue, source in zip(cues, expected, strict=True):
        assert within_half_a_millisecond(cue.start_time.in_milliseconds(), source.start)
        assert within_half_a_millisecond(cue.end_time.in_milliseconds(), source.end)
        assert len(cue.lines) == 1
        assert cue.lines[0].strip()
        assert "-->" not in cue.raw_text
