"""The JSON bodies: `json` and `verbose_json`, shaped like OpenAI's `Transcription*` and `Translation*`."""

from __future__ import annotations

import math
from typing import Any

from auricle.engine.languages import language_name
from auricle.engine.transcript import Segment, Transcript, Word

JsonObject = dict[str, Any]


def usage(transcript: Transcript) -> JsonObject:
    # whisper-1 bills whole seconds, rounded up (8.47 s -> 9).
    return {"type": "duration", "seconds": math.ceil(transcript.duration)}


def simple_json(transcript: Transcript) -> JsonObject:
    body: JsonObject = {"text": transcript.text}
    if transcript.task == "transcribe":
        body["usage"] = usage(transcript)
    return body


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
