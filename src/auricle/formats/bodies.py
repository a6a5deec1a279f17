"""The JSON bodies: `json` and `verbose_json`, shaped like OpenAI's `Transcription*` and `Translation*`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from auricle.engine.languages import language_name
from auricle.engine.transcript import Segment, Transcript, Word
from auricle.formats.logprobs import logprobs

JsonObject = dict[str, Any]


def usage(transcript: Transcript) -> JsonObject:
    # whisper-1 bills whole seconds, rounded up (8.47 s -> 9).
    return {"type": "duration", "seconds": math.ceil(transcript.duration)}


@dataclass(frozen=True, slots=True)
class Details:
    """What a request asked `json` (and a stream's events) to report beyond the text."""

    languages: bool = False
    """The languages heard, as OpenAI's `gpt-transcribe` reports them (for `languages[]`)."""
    logprobs: bool = False
    """`include[]=logprobs`."""
    timings: bool = False
    """`include[]=segments` on a stream: the done event also carries `verbose_json`'s timings."""


NO_DETAILS = Details()


def simple_json(transcript: Transcript, details: Details = NO_DETAILS) -> JsonObject:
    body: JsonObject = {"text": transcript.text}
    if details.logprobs:
        body["logprobs"] = logprobs(transcript.segments)
    if details.languages:
        body["languages"] = heard(transcript)
    if transcript.task == "transcribe":
        body["usage"] = usage(transcript)
    return body


def heard(transcript: Transcript) -> list[JsonObject]:
    """The languages spoken, most first (by the time their segments take); [] where nothing was said."""
    seconds: dict[str, float] = {}
    for segment in transcript.segments:
        language = segment.language or transcript.language
        seconds[language] = seconds.get(language, 0.0) + segment.end - segment.start
    return [{"code": code} for code in sorted(seconds, key=lambda code: -seconds[code])]


def timings(transcript: Transcript) -> JsonObject:
    """What `verbose_json` says beyond the text: the language, duration, segments and words."""
    body = verbose_json(transcript, words=True)
    return {key: body[key] for key in ("language", "duration", "segments", "words") if key in body}


def verbose_json(transcript: Transcript, *, segments: bool = True, words: bool = False) -> JsonObject:
    translating = transcript.task == "translate"
    body: JsonObject = {
        "task": transcript.task,
        "language": "english" if translating else language_name(transcript.language),
        "duration": transcript.duration,
        "text": transcript.text,
    }
    if segments:
        body["segments"] = [_segment(segment) for segment in transcript.segments]
    if words and not translating:
        body["words"] = [_word(word) for word in transcript.words]
    if not translating:
        body["usage"] = usage(transcript)
    return body


def _segment(segment: Segment) -> JsonObject:
    body: JsonObject = {
        "id": segment.id,
        "seek": segment.seek,
        "start": _seconds(segment.start),
        "end": _seconds(segment.end),
        "text": segment.text,
        "tokens": list(segment.tokens),
        "temperature": segment.temperature,
        "avg_logprob": segment.avg_logprob,
        "compression_ratio": segment.compression_ratio,
        "no_speech_prob": segment.no_speech_prob,
    }
    if segment.language is not None:
        # Not in OpenAI's schema, which allows more fields: where a recording switches language, each
        # segment says which one it was transcribed in, named as the top-level `language` is.
        body["language"] = language_name(segment.language)
    return body


def _word(word: Word) -> JsonObject:
    return {"word": word.word.strip(), "start": _seconds(word.start), "end": _seconds(word.end)}


def _seconds(value: float) -> float:
    # Float noise such as 10.360000000000001 helps nobody reading the JSON.
    return round(value, 3)
