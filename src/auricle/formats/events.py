"""A streamed transcription's Server-Sent Events, shaped as OpenAI's `transcript.text.*` events.

Each event is one `data:` line of compact JSON and a blank line, with no `event:` line: the SDKs parse
every `data:` as one event of the union `TranscriptionStreamEvent`, told apart by its `type`. The
stream is deltas, then one `transcript.text.done` with the whole text; a failure after the first byte
is one `error` event (the SDKs raise `APIError` on a `data:` object with an `error` key).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from auricle.engine.transcript import Segment, Transcript
from auricle.formats.bodies import Details, heard, timings
from auricle.formats.logprobs import logprobs

MEDIA_TYPE = "text/event-stream"
AUDIO_TOKENS_PER_SECOND = 50
"""Whisper's encoder turns each second of audio into 50 positions: the audio tokens a request used."""

JsonObject = dict[str, Any]


class Deltas:
    """Final segments' text as the delta events a stream sends, which together are exactly the
    transcript's text: stripped at both ends, as `Transcript.text` is, and never taken back."""

    def __init__(self, details: Details) -> None:
        self._details = details
        self._joined = ""
        self.said = ""

    def add(self, segments: Sequence[Segment]) -> JsonObject | None:
        """The event for what `segments` add to the text said so far; None when they add nothing."""
        self._joined += "".join(segment.text for segment in segments)
        first = not self.said
        piece = self._say(self._joined.strip())
        if not piece:
            return None
        event: JsonObject = {"type": "transcript.text.delta", "delta": piece}
        if self._details.logprobs:
            event["logprobs"] = logprobs(segments, first=first)
        return event

    def rest(self, transcript: Transcript) -> JsonObject | None:
        """A delta with whatever of the finished transcript's text has not been said yet, if any."""
        if not transcript.text.startswith(self.said):
            raise ValueError("a stream's deltas disagree with its transcript")
        piece = self._say(transcript.text)
        return {"type": "transcript.text.delta", "delta": piece} if piece else None

    def _say(self, text: str) -> str:
        piece, self.said = text[len(self.said) :], text
        return piece


def done(transcript: Transcript, details: Details) -> JsonObject:
    event: JsonObject = {"type": "transcript.text.done", "text": transcript.text}
    if details.logprobs:
        event["logprobs"] = logprobs(transcript.segments)
    event["usage"] = usage(transcript)
    if details.languages:
        event["languages"] = heard(transcript)
    if details.timings:
        # Auricle's own fields, asked for with include[]=segments; the SDKs' event types allow extras.
        event.update(timings(transcript))
    return event


def usage(transcript: Transcript) -> JsonObject:
    """OpenAI's token usage, the only kind its done event has: the audio's encoder positions in, and
    the text tokens written out."""
    audio = math.ceil(transcript.duration * AUDIO_TOKENS_PER_SECOND)
    written = sum(len(segment.tokens) for segment in transcript.segments)
    return {
        "type": "tokens",
        "input_tokens": audio,
        "input_token_details": {"text_tokens": 0, "audio_tokens": audio},
        "output_tokens": written,
        "total_tokens": audio + written,
    }


def error(envelope: JsonObject) -> JsonObject:
    """A failure after the stream began: OpenAI's error envelope (`{"error": {...}}`), typed."""
    return {"type": "error", **envelope}


def encode(event: JsonObject) -> bytes:
    return b"data: " + json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n"
