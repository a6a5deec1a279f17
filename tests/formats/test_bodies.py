"""`json` and `verbose_json` bodies, checked against OpenAI's OpenAPI schemas and the `openai` SDK's types."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from openai.types.audio import (
    Transcription,
    TranscriptionSegment,
    TranscriptionVerbose,
    TranscriptionWord,
    Translation,
    TranslationVerbose,
)

from auricle.engine.transcript import Segment, Task, Transcript, Word
from auricle.formats.bodies import Details, simple_json, usage, verbose_json
from tests.support.openapi import validate

SEGMENT_KEYS = set(TranscriptionSegment.model_fields)
WORD_KEYS = set(TranscriptionWord.model_fields)


def make(task: Task = "transcribe", language: str = "en", duration: float = 8.470000267028809) -> Transcript:
    return Transcript(
        task=task,
        language=language,
        duration=duration,
        segments=(
            Segment(
                id=0,
                seek=0,
                start=0.0,
                end=3.319999933242798,
                text=" The beach was a popular spot on a hot summer day.",
                tokens=(50364, 440, 7534, 390, 257, 3743, 4008, 322, 257, 2368, 4266, 786, 13, 50530),
                temperature=0.0,
                avg_logprob=-0.2860786020755768,
                compression_ratio=1.2363636493682861,
                no_speech_prob=0.00985979475080967,
                words=(
                    Word(" The", 0.0, 0.24, 0.9),
                    Word(" beach", 0.24, 0.6000000000000001, 0.8),
                ),
            ),
            Segment(
                id=1,
                seek=332,
                start=3.32,
                end=8.47,
                text=" People were swimming in the ocean.",
                tokens=(50530, 3432, 645, 11733, 294, 264, 7810, 13, 50780),
                temperature=0.2,
                avg_logprob=-0.5,
                compression_ratio=1.1,
                no_speech_prob=0.02,
                words=(Word(" People", 3.32, 3.7, 0.95),),
            ),
        ),
    )


TEXT = "The beach was a popular spot on a hot summer day. People were swimming in the ocean."


# --- json --------------------------------------------------------------------------------------------------


def test_simple_json_transcription() -> None:
    body = simple_json(make())

    assert body == {"text": TEXT, "usage": {"type": "duration", "seconds": 9}}
    validate(body, "CreateTranscriptionResponseJson")
    parsed = Transcription.model_validate(body)
    assert parsed.text == TEXT
    assert parsed.usage is not None
    assert parsed.usage.type == "duration"


def test_simple_json_names_the_languages_heard_most_first_when_asked() -> None:
    transcript = make()
    german = replace(transcript.segments[1], language="de")
    switched = replace(transcript, segments=(transcript.segments[0], german))
    body = simple_json(switched, Details(languages=True))

    assert body["languages"] == [{"code": "de"}, {"code": "en"}]  # 5.15 s of German, 3.32 s of English
    validate(body, "CreateTranscriptionResponseJson")
    assert Transcription.model_validate(body).languages is not None
    assert simple_json(replace(transcript, segments=()), Details(languages=True))["languages"] == []
    assert "languages" not in simple_json(transcript)


def test_simple_json_translation_is_text_only() -> None:
    body = simple_json(make(task="translate", language="de"))

    assert body == {"text": TEXT}
    validate(body, "CreateTranslationResponseJson")
    assert Translation.model_validate(body).text == TEXT


def test_simple_json_of_an_empty_transcript() -> None:
    body = simple_json(Transcript(task="transcribe", language="en", duration=0.4, segments=()))

    assert body == {"text": "", "usage": {"type": "duration", "seconds": 1}}
    validate(body, "CreateTranscriptionResponseJson")
    Transcription.model_validate(body)


# --- usage -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [(8.47, 9), (8.470000267028809, 9), (11.0, 11), (2.11, 3), (0.05, 1), (0.0, 0), (3600.0001, 3601)],
)
def test_usage_bills_whole_seconds_rounded_up(duration: float, seconds: int) -> None:
    body = usage(make(duration=duration))

    assert body == {"type": "duration", "seconds": seconds}
    assert isinstance(body["seconds"], int)


# --- verbose_json, transcription ---------------------------------------------------------------------------


def test_verbose_json_transcription_matches_schema_and_sdk() -> None:
    body = verbose_json(make())

    validate(body, "CreateTranscriptionResponseVerboseJson")
    parsed = TranscriptionVerbose.model_validate(body)
    assert parsed.language == "english"
    assert parsed.segments is not None
    for segment in body["segments"]:
        validate(segment, "TranscriptionSegment")
        TranscriptionSegment.model_validate(segment)


def test_verbose_json_transcription_content() -> None:
    body = verbose_json(make())

    assert body["task"] == "transcribe"
    assert body["language"] == "english"
    assert body["duration"] == 8.470000267028809
    assert body["text"] == TEXT
    assert body["usage"] == {"type": "duration", "seconds": 9}
    assert "words" not in body
    assert body["segments"][0] == {
        "id": 0,
        "seek": 0,
        "start": 0.0,
        "end": 3.32,
        "text": " The beach was a popular spot on a hot summer day.",
        "tokens": [50364, 440, 7534, 390, 257, 3743, 4008, 322, 257, 2368, 4266, 786, 13, 50530],
        "temperature": 0.0,
        "avg_logprob": -0.2860786020755768,
        "compression_ratio": 1.2363636493682861,
        "no_speech_prob": 0.00985979475080967,
    }
    assert [segment["id"] for segment in body["segments"]] == [0, 1]
    assert body["segments"][1]["seek"] == 332
    assert body["segments"][1]["temperature"] == 0.2


def test_top_level_text_has_no_leading_space_but_segment_text_keeps_it() -> None:
    body = verbose_json(make())

    assert body["text"] == body["text"].strip()
    assert all(segment["text"].startswith(" ") for segment in body["segments"])
    assert simple_json(make())["text"] == body["text"]


def test_tokens_are_a_json_list_of_ints() -> None:
    segment = verbose_json(make())["segments"][1]

    assert segment["tokens"] == [50530, 3432, 645, 11733, 294, 264, 7810, 13, 50780]
    assert type(segment["tokens"]) is list
    assert all(type(token) is int for token in segment["tokens"])


@pytest.mark.parametrize(
    ("code", "name"),
    [("en", "english"), ("de", "german"), ("ja", "japanese"), ("ht", "haitian creole"), ("yue", "cantonese")],
)
def test_language_is_the_full_lowercase_name(code: str, name: str) -> None:
    body = verbose_json(make(language=code))

    assert body["language"] == name
    validate(body, "CreateTranscriptionResponseVerboseJson")


def test_words_only_when_asked() -> None:
    body = verbose_json(make(), words=True)

    assert body["words"] == [
        {"word": "The", "start": 0.0, "end": 0.24},
        {"word": "beach", "start": 0.24, "end": 0.6},
        {"word": "People", "start": 3.32, "end": 3.7},
    ]
    assert "segments" in body
    validate(body, "CreateTranscriptionResponseVerboseJson")
    parsed = TranscriptionVerbose.model_validate(body)
    assert parsed.words is not None
    assert [word.word for word in parsed.words] == ["The", "beach", "People"]
    for word in body["words"]:
        validate(word, "TranscriptionWord")
        TranscriptionWord.model_validate(word)


def test_words_without_segments() -> None:
    body = verbose_json(make(), segments=False, words=True)

    assert "segments" not in body
    assert len(body["words"]) == 3
    assert body["usage"] == {"type": "duration", "seconds": 9}
    validate(body, "CreateTranscriptionResponseVerboseJson")
    assert TranscriptionVerbose.model_validate(body).segments is None


def test_segments_omitted_when_not_asked() -> None:
    body = verbose_json(make(), segments=False)

    assert set(body) == {"task", "language", "duration", "text", "usage"}
    validate(body, "CreateTranscriptionResponseVerboseJson")
    TranscriptionVerbose.model_validate(body)


def test_verbose_json_of_an_empty_transcript() -> None:
    body = verbose_json(Transcript(task="transcribe", language="en", duration=0.5, segments=()), words=True)

    assert body["text"] == ""
    assert body["segments"] == []
    assert body["words"] == []
    validate(body, "CreateTranscriptionResponseVerboseJson")
    TranscriptionVerbose.model_validate(body)


# --- verbose_json, translation -----------------------------------------------------------------------------


def test_verbose_json_translation_matches_schema_and_sdk() -> None:
    body = verbose_json(make(task="translate", language="de"))

    validate(body, "CreateTranslationResponseVerboseJson")
    parsed = TranslationVerbose.model_validate(body)
    assert parsed.language == "english"
    assert parsed.segments is not None
    assert len(parsed.segments) == 2


@pytest.mark.parametrize("language", ["de", "ja", "en"])
def test_translation_language_is_always_english(language: str) -> None:
    body = verbose_json(make(task="translate", language=language))

    assert body["language"] == "english"
    assert body["task"] == "translate"


def test_translation_has_no_words_or_usage() -> None:
    body = verbose_json(make(task="translate", language="fr"), words=True)

    assert set(body) == {"task", "language", "duration", "text", "segments"}
    assert body["text"] == TEXT
    validate(body, "CreateTranslationResponseVerboseJson")
    TranslationVerbose.model_validate(body)


# --- drift against the SDK's types -------------------------------------------------------------------------


def test_segment_keys_are_exactly_the_sdk_segment_fields() -> None:
    segments: list[dict[str, Any]] = verbose_json(make())["segments"]

    assert all(set(segment) == SEGMENT_KEYS for segment in segments)


def test_word_keys_are_exactly_the_sdk_word_fields() -> None:
    words: list[dict[str, Any]] = verbose_json(make(), words=True)["words"]

    assert words
    assert all(set(word) == WORD_KEYS for word in words)


def test_top_level_keys_are_known_to_the_sdk_or_openais_examples() -> None:
    # `task` is in OpenAI's example bodies though the SDK's type omits it; anything else would be drift.
    transcription = verbose_json(make(), words=True)
    translation = verbose_json(make(task="translate"))

    assert set(transcription) == set(TranscriptionVerbose.model_fields) | {"task"}
    assert set(translation) == set(TranslationVerbose.model_fields) | {"task"}
    assert set(simple_json(make())) <= set(Transcription.model_fields)


def test_segments_of_a_code_switched_recording_name_their_language_and_still_validate() -> None:
    transcript = make()
    english, german = transcript.segments
    switched = replace(transcript, segments=(replace(english, language="en"), replace(german, language="de")))
    body = verbose_json(switched)

    assert [segment["language"] for segment in body["segments"]] == ["english", "german"]
    validate(body, "CreateTranscriptionResponseVerboseJson")
    for segment in body["segments"]:
        validate(segment, "TranscriptionSegment")
        # The SDK keeps the extra field and still validates strictly.
        assert TranscriptionSegment.model_validate(segment).model_extra == {"language": segment["language"]}


def test_a_segment_without_its_own_language_has_no_language_field() -> None:
    assert all("language" not in segment for segment in verbose_json(make())["segments"])
