"""SRT and WebVTT bodies, checked by parsing them back with independent libraries."""

from __future__ import annotations

from datetime import timedelta

import pytest
import srt
import webvtt

from auricle.engine.transcript import Transcript
from auricle.formats.subtitles import srt as to_srt
from auricle.formats.subtitles import vtt as to_vtt
from tests.support.transcripts import segment, transcript

JFK = transcript(
    segment(0, 0.0, 4.2, " And so, my fellow Americans,"),
    segment(1, 4.2, 10.36, " ask not what your country can do for you,"),
    segment(2, 10.36, 3725.5, " ask what you can do for your country."),
)
JFK_TEXTS = [
    "And so, my fellow Americans,",
    "ask not what your country can do for you,",
    "ask what you can do for your country.",
]
JFK_TIMES = [(0.0, 4.2), (4.2, 10.36), (10.36, 3725.5)]


def seconds(delta: timedelta) -> float:
    return delta.total_seconds()


# --- SRT ---------------------------------------------------------------------------------------------------


def test_srt_parses_into_one_cue_per_segment() -> None:
    cues = list(srt.parse(to_srt(JFK)))

    assert [cue.index for cue in cues] == [1, 2, 3]
    assert [cue.content for cue in cues] == JFK_TEXTS
    assert [(seconds(cue.start), seconds(cue.end)) for cue in cues] == JFK_TIMES


def test_srt_layout_is_openais() -> None:
    body = to_srt(JFK)

    assert body.startswith("1\n00:00:00,000 --> 00:00:04,200\nAnd so, my fellow Americans,\n\n2\n")
    # Hours are always written, and the cue past an hour counts them.
    assert "\n00:00:10,360 --> 01:02:05,500\n" in body
    assert "." not in body.split("\n")[1]
    assert body.endswith("ask what you can do for your country.\n")
    # Cues are separated by exactly one blank line.
    assert body.count("\n\n") == 2
    assert "\n\n\n" not in body


def test_srt_text_has_no_leading_space() -> None:
    for line in to_srt(JFK).splitlines():
        assert line == line.strip()


def test_srt_drops_segments_without_text() -> None:
    body = to_srt(
        transcript(
            segment(0, 0.0, 1.0, " Hello."),
            segment(1, 1.0, 2.0, ""),
            segment(2, 2.0, 3.0, "   "),
            segment(3, 3.0, 4.0, " World."),
        )
    )
    cues = list(srt.parse(body))

    assert [cue.content for cue in cues] == ["Hello.", "World."]
    # Numbering stays consecutive although segments were left out.
    assert [cue.index for cue in cues] == [1, 2]
    assert [seconds(cue.start) for cue in cues] == [0.0, 3.0]


@pytest.mark.parametrize(
    "empty",
    [transcript(), transcript(segment(0, 0.0, 1.0, " "), segment(1, 1.0, 2.0, ""))],
)
def test_srt_of_an_empty_transcript_parses_to_no_cues(empty: Transcript) -> None:
    body = to_srt(empty)

    assert body == ""
    assert list(srt.parse(body)) == []


def test_srt_rounds_times_to_milliseconds() -> None:
    cues = list(srt.parse(to_srt(transcript(segment(0, 1.23456, 2.0004, " Hi.")))))

    assert cues[0].start == timedelta(seconds=1, milliseconds=235)
    assert cues[0].end == timedelta(seconds=2)


def test_srt_negative_start_clamps_to_zero() -> None:
    cues = list(srt.parse(to_srt(transcript(segment(0, -0.02, 1.0, " Hi.")))))

    assert cues[0].start == timedelta(0)


# --- WebVTT ------------------------------------------------------------------------------------------------


def test_vtt_parses_into_one_cue_per_segment() -> None:
    captions = webvtt.from_string(to_vtt(JFK)).captions

    assert [caption.text for caption in captions] == JFK_TEXTS
    assert [(caption.start, caption.end) for caption in captions] == [
        ("00:00:00.000", "00:00:04.200"),
        ("00:00:04.200", "00:00:10.360"),
        ("00:00:10.360", "01:02:05.500"),
    ]


def test_vtt_starts_with_header_and_blank_line() -> None:
    assert to_vtt(JFK).startswith("WEBVTT\n\n00:00:00.000 --> 00:00:04.200\n")


def test_vtt_cues_have_no_numeric_identifiers() -> None:
    body = to_vtt(JFK)
    captions = webvtt.from_string(body).captions

    assert all(not caption.identifier for caption in captions)
    # Every line after the header is a timing line, a text line or blank: never a bare number.
    lines = body.split("\n")[2:]
    assert not any(line.strip().isdigit() for line in lines)
    assert [line for line in lines if "-->" in line] == [
        "00:00:00.000 --> 00:00:04.200",
        "00:00:04.200 --> 00:00:10.360",
        "00:00:10.360 --> 01:02:05.500",
    ]


def test_vtt_body_ends_with_a_blank_line() -> None:
    body = to_vtt(JFK)

    assert body.endswith("ask what you can do for your country.\n\n")
    assert not body.endswith("\n\n\n")


def test_vtt_text_has_no_leading_space() -> None:
    for line in to_vtt(JFK).splitlines():
        assert line == line.strip()


def test_vtt_drops_segments_without_text() -> None:
    body = to_vtt(
        transcript(
            segment(0, 0.0, 1.0, " Hello."),
            segment(1, 1.0, 2.0, ""),
            segment(2, 2.0, 3.0, " \t "),
            segment(3, 3.0, 4.0, " World."),
        )
    )
    captions = webvtt.from_string(body).captions

    assert [caption.text for caption in captions] == ["Hello.", "World."]
    assert [caption.start for caption in captions] == ["00:00:00.000", "00:00:03.000"]


@pytest.mark.parametrize(
    "empty",
    [transcript(), transcript(segment(0, 0.0, 1.0, " "), segment(1, 1.0, 2.0, ""))],
)
def test_vtt_of_an_empty_transcript_is_a_valid_file_without_cues(empty: Transcript) -> None:
    body = to_vtt(empty)

    assert body == "WEBVTT\n\n"
    assert webvtt.from_string(body).captions == []


def test_vtt_times_match_srt_times_to_the_millisecond() -> None:
    srt_ms = [
        (cue.start // timedelta(milliseconds=1), cue.end // timedelta(milliseconds=1))
        for cue in srt.parse(to_srt(JFK))
    ]
    vtt_ms = [
        (caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds())
        for caption in webvtt.from_string(to_vtt(JFK)).captions
    ]
    assert srt_ms == vtt_ms == [(0, 4200), (4200, 10360), (10360, 3725500)]
