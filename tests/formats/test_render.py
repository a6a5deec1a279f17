"""`render`: one body and media type per response format."""

from __future__ import annotations

import json

import pytest
import srt
import webvtt

from auricle.engine.transcript import Transcript, Word
from auricle.formats.render import JSON_MEDIA_TYPE, TEXT_MEDIA_TYPE, Rendered, ResponseFormat, render
from tests.support.transcripts import segment

GERMAN = Transcript(
    task="transcribe",
    language="de",
    duration=5.5,
    segments=(
        segment(0, 0.0, 2.5, " Grüße aus Köln.", Word(" Grüße", 0.0, 0.8, 0.9), Word(" aus", 0.8, 1.1, 0.9)),
        segment(1, 2.5, 5.5, " Das Wetter ist schön, äußerst schön.", Word(" Das", 2.5, 2.7, 0.9)),
    ),
)
GERMAN_TEXT = "Grüße aus Köln. Das Wetter ist schön, äußerst schön."
EMPTY = Transcript(task="transcribe", language="en", duration=1.0, segments=())


def test_response_format_values_are_openais_five() -> None:
    formats = [member.value for member in ResponseFormat]
    assert formats == ["json", "text", "srt", "verbose_json", "vtt", "diarized_json"]


@pytest.mark.parametrize(
    ("response_format", "media_type"),
    [
        (ResponseFormat.JSON, "application/json"),
        (ResponseFormat.VERBOSE_JSON, "application/json"),
        (ResponseFormat.TEXT, "text/plain; charset=utf-8"),
        (ResponseFormat.SRT, "text/plain; charset=utf-8"),
        (ResponseFormat.VTT, "text/plain; charset=utf-8"),
    ],
)
def test_media_type(response_format: ResponseFormat, media_type: str) -> None:
    rendered = render(GERMAN, response_format)

    assert isinstance(rendered, Rendered)
    assert rendered.media_type == media_type
    assert render(EMPTY, response_format).media_type == media_type


def test_media_type_constants() -> None:
    assert JSON_MEDIA_TYPE == "application/json"
    assert TEXT_MEDIA_TYPE == "text/plain; charset=utf-8"


# --- text --------------------------------------------------------------------------------------------------


def test_text_is_the_bare_transcript_with_one_trailing_newline() -> None:
    rendered = render(GERMAN, ResponseFormat.TEXT)

    assert rendered.body == GERMAN_TEXT + "\n"
    assert rendered.body.endswith("\n")
    assert not rendered.body.endswith("\n\n")
    assert not rendered.body.startswith(" ")


def test_text_of_trailing_whitespace_segments_still_ends_with_one_newline() -> None:
    transcript = Transcript(
        task="transcribe", language="en", duration=2.0, segments=(segment(0, 0.0, 2.0, " Hello.\n "),)
    )

    assert render(transcript, ResponseFormat.TEXT).body == "Hello.\n"


def test_text_of_an_empty_transcript() -> None:
    assert render(EMPTY, ResponseFormat.TEXT).body == "\n"


# --- JSON --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("response_format", [ResponseFormat.JSON, ResponseFormat.VERBOSE_JSON])
def test_json_is_compact_and_keeps_non_ascii(response_format: ResponseFormat) -> None:
    body = render(GERMAN, response_format).body

    assert "Grüße aus Köln." in body
    assert "äußerst" in body
    assert "\\u" not in body
    assert "\n" not in body
    assert body == json.dumps(json.loads(body), ensure_ascii=False, separators=(",", ":"))
    # It is valid UTF-8 once encoded, as the response will be.
    assert json.loads(body.encode("utf-8")) == json.loads(body)


def test_json_body() -> None:
    body = json.loads(render(GERMAN, ResponseFormat.JSON).body)

    assert body == {"text": GERMAN_TEXT, "usage": {"type": "duration", "seconds": 6}}


def test_verbose_json_body_defaults_to_segments_without_words() -> None:
    body = json.loads(render(GERMAN, ResponseFormat.VERBOSE_JSON).body)

    assert body["language"] == "german"
    assert body["text"] == GERMAN_TEXT
    assert [segment["text"] for segment in body["segments"]] == [
        " Grüße aus Köln.",
        " Das Wetter ist schön, äußerst schön.",
    ]
    assert "words" not in body


def test_verbose_json_passes_the_granularities_through() -> None:
    words_only = json.loads(render(GERMAN, ResponseFormat.VERBOSE_JSON, segments=False, words=True).body)

    assert "segments" not in words_only
    assert [word["word"] for word in words_only["words"]] == ["Grüße", "aus", "Das"]


@pytest.mark.parametrize(
    "response_format", [ResponseFormat.JSON, ResponseFormat.TEXT, ResponseFormat.SRT, ResponseFormat.VTT]
)
def test_granularities_only_affect_verbose_json(response_format: ResponseFormat) -> None:
    assert render(GERMAN, response_format, segments=False, words=True) == render(GERMAN, response_format)


# --- subtitles ---------------------------------------------------------------------------------------------


def test_srt_body() -> None:
    cues = list(srt.parse(render(GERMAN, ResponseFormat.SRT).body))

    assert [cue.content for cue in cues] == ["Grüße aus Köln.", "Das Wetter ist schön, äußerst schön."]


def test_vtt_body() -> None:
    body = render(GERMAN, ResponseFormat.VTT).body
    captions = webvtt.from_string(body).captions

    assert body.startswith("WEBVTT\n\n")
    assert body.endswith("\n\n")
    assert [caption.text for caption in captions] == [
        "Grüße aus Köln.",
        "Das Wetter ist schön, äußerst schön.",
    ]
