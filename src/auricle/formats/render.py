"""One entry point: a transcript in the response format a client asked for."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

from auricle.engine.transcript import Transcript
from auricle.formats import bodies, diarized, subtitles

JSON_MEDIA_TYPE = "application/json"
# Never JSON-typed: the Node SDK would try to parse it, and OpenAI labels these text/plain too.
TEXT_MEDIA_TYPE = "text/plain; charset=utf-8"


class ResponseFormat(StrEnum):
    JSON = "json"
    TEXT = "text"
    SRT = "srt"
    VERBOSE_JSON = "verbose_json"
    VTT = "vtt"
    DIARIZED_JSON = "diarized_json"


# File name endings for each format when written to disk, as the whisper CLI names them.
FILE_EXTENSIONS: dict[ResponseFormat, str] = {
    ResponseFormat.TEXT: "txt",
    ResponseFormat.SRT: "srt",
    ResponseFormat.VTT: "vtt",
    ResponseFormat.JSON: "json",
    ResponseFormat.VERBOSE_JSON: "json",
}


@dataclass(frozen=True, slots=True)
class Rendered:
    body: str
    media_type: str


def render(
    transcript: Transcript,
    response_format: ResponseFormat,
    *,
    segments: bool = True,
    words: bool = False,
    details: bodies.Details = bodies.NO_DETAILS,
) -> Rendered:
    """`segments`/`words` are the timestamp granularities, which only `verbose_json` reports;
    `details` what else `json` reports."""
    match response_format:
        case ResponseFormat.JSON:
            return _json(bodies.simple_json(transcript, details))
        case ResponseFormat.VERBOSE_JSON:
            return _json(bodies.verbose_json(transcript, segments=segments, words=words))
        case ResponseFormat.TEXT:
            return Rendered(transcript.text + "\n", TEXT_MEDIA_TYPE)
        case ResponseFormat.SRT:
            return Rendered(subtitles.srt(transcript), TEXT_MEDIA_TYPE)
        case ResponseFormat.VTT:
            return Rendered(subtitles.vtt(transcript), TEXT_MEDIA_TYPE)
        case ResponseFormat.DIARIZED_JSON:
            # Reached only without the speaker stage (the API runs it first): every segment is speaker `A`.
            return _json(diarized.diarized_json(transcript, diarized.undiarized(transcript)))


def _json(body: bodies.JsonObject) -> Rendered:
    return Rendered(json.dumps(body, ensure_ascii=False, separators=(",", ":")), JSON_MEDIA_TYPE)
