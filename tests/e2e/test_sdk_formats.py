"""Every response format on real speech, through the official SDK in strict mode, in-process."""

from __future__ import annotations

from pathlib import Path

import openai
import pytest
import srt
import webvtt
from openai.types.audio import Transcription, TranscriptionTextDoneEvent, TranscriptionVerbose

from tests.conftest import JFK_TEXT
from tests.support.openapi import validate
from tests.support.text import normalize

pytestmark = [pytest.mark.anyio, pytest.mark.model]


async def test_json_is_the_jfk_sentence_with_duration_usage(sdk: openai.AsyncOpenAI, jfk: Path) -> None:
    raw = await sdk.audio.transcriptions.with_raw_response.create(model="whisper-1", file=jfk)
    result = raw.parse()
    assert isinstance(result, Transcription)
    assert normalize(result.text) == normalize(JFK_TEXT)
    assert not result.text.startswith(" ")
    assert result.usage is not None
    assert result.usage.type == "duration"
    assert result.usage.seconds == 11
    assert raw.headers["content-type"] == "application/json"
    assert raw.headers["x-request-id"].startswith("req_")
    assert int(raw.headers["openai-processing-ms"]) >= 0
    validate(raw.http_response.json(), "CreateTranscriptionResponseJson")


async def test_text_is_plain(sdk: openai.AsyncOpenAI, jfk: Path) -> None:
    raw = await sdk.audio.transcriptions.with_raw_response.create(
        model="whisper-1", file=jfk, response_format="text"
    )
    text = raw.parse()
    assert isinstance(text, str)
    assert normalize(text) == normalize(JFK_TEXT)
    assert raw.headers["content-type"] == "text/plain; charset=utf-8"


async def test_srt_parses_and_covers_the_speech(sdk: openai.AsyncOpenAI, jfk: Path) -> None:
    body = await sdk.audio.transcriptions.create(model="whisper-1", file=jfk, response_format="srt")
    cues = list(srt.parse(body))
    assert [cue.index for cue in cues] == list(range(1, len(cues) + 1))
    assert normalize(" ".join(cue.content for cue in cues)) == normalize(JFK_TEXT)
    assert cues[0].start.total_seconds() < 1.0
    assert all(cue.start < cue.end for cue in cues)
    assert cues[-1].end.total_seconds() <= 11.0


async def test_vtt_parses_and_covers_the_speech(sdk: openai.AsyncOpenAI, jfk: Path) -> None:
    body = await sdk.audio.transcriptions.create(model="whisper-1", file=jfk, response_format="vtt")
    assert body.startswith("WEBVTT\n\n")
    assert body.endswith("\n\n")
    captions = webvtt.from_string(body).captions
    assert normalize(" ".join(caption.text for caption in captions)) == normalize(JFK_TEXT)
    assert all(caption.start_in_seconds < caption.end_in_seconds <= 11.0 for caption in captions)


async def test_verbose_json_with_words_and_segments(sdk: openai.AsyncOpenAI, jfk: Path) -> None:
    raw = await sdk.audio.transcriptions.with_raw_response.create(
        model="whisper-1",
        file=jfk,
        response_format="verbose_json",
        timestamp_granularities=["word", "segment"],
    )
    result = raw.parse()
    assert isinstance(result, TranscriptionVerbose)
    body = raw.http_response.json()
    validate(body, "CreateTranscriptionResponseVerboseJson")
    assert body["task"] == "transcribe"
    assert result.language == "english"
    assert result.duration == pytest.approx(11.0, abs=0.05)
    assert result.usage is not None
    assert result.usage.seconds == 11
    assert result.segments
    assert all(s.text.startswith(" ") for s in result.segments)
    assert result.segments[0].id == 0
    assert result.words is not None
    assert len(result.words) == len(JFK_TEXT.split())
    starts = [word.start for word in result.words]
    assert starts == sorted(starts)
    assert all(0.0 <= w.start <= w.end <= result.duration for w in result.words)
    assert normalize(" ".join(w.word for w in result.words)) == normalize(JFK_TEXT)


async def test_verbose_json_words_only_has_no_segments(sdk: openai.AsyncOpenAI, jfk: Path) -> None:
    result = await sdk.audio.transcriptions.create(
        model="whisper-1", file=jfk, response_format="verbose_json", timestamp_granularities=["word"]
    )
    assert result.words
    assert result.segments is None


async def test_verbose_json_default_has_segments_only(sdk: openai.AsyncOpenAI, jfk: Path) -> None:
    result = await sdk.audio.transcriptions.create(model="base", file=jfk, response_format="verbose_json")
    assert result.segments
    assert result.words is None


async def test_english_only_model_serves_too(sdk: openai.AsyncOpenAI, jfk: Path) -> None:
    result = await sdk.audio.transcriptions.create(model="tiny.en", file=jfk, language="en")
    assert normalize(result.text) == normalize(JFK_TEXT)


async def test_prompt_and_temperature_are_accepted(sdk: openai.AsyncOpenAI, jfk: Path) -> None:
    result = await sdk.audio.transcriptions.create(
        model="whisper-1", file=jfk, prompt="A speech by President Kennedy.", temperature=0.2, language="en"
    )
    assert normalize(result.text) == normalize(JFK_TEXT)


async def test_stream_true_streams_for_whisper_1_too(sdk: openai.AsyncOpenAI, jfk: Path) -> None:
    # OpenAI ignores `stream` for whisper-1, and the SDK then yields nothing; Auricle streams.
    stream = await sdk.audio.transcriptions.create(model="whisper-1", file=jfk, stream=True)
    events = [event async for event in stream]
    assert isinstance(events[-1], TranscriptionTextDoneEvent)
    assert normalize(events[-1].text) == normalize(JFK_TEXT)
