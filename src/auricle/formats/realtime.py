"""A live session's events as OpenAI's Realtime API sends them, in either of its two dialects.

GA (`session.update` with `type: "transcription"`) and beta (`OpenAI-Beta: realtime=v1`,
`transcription_session.*`) differ in the session object and in which item event follows a commit:
GA sends `conversation.item.added` after the commit and `conversation.item.done` with the transcript,
beta `conversation.item.created` (what OpenAI sent in beta transcription mode). Every other event is the
same in both. Shapes are checked against the `openai` package's own event types in the tests.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict
from typing import Any, Literal

from auricle.audio.pcm import Encoding, PcmFormat
from auricle.engine.transcript import Transcript
from auricle.formats.bodies import heard
from auricle.formats.logprobs import logprobs
from auricle.live.config import LiveConfig
from auricle.live.events import (
    Cleared,
    Committed,
    Completed,
    Delta,
    Failed,
    LiveEvent,
    SpeechStarted,
    SpeechStopped,
)

Dialect = Literal["ga", "beta"]
JsonObject = dict[str, Any]
LOGPROBS = "item.input_audio_transcription.logprobs"
BETA_FORMATS: dict[Encoding, str] = {
    "audio/pcm": "pcm16",
    "audio/pcmu": "g711_ulaw",
    "audio/pcma": "g711_alaw",
}


def event_id() -> str:
    return "event_" + secrets.token_hex(11)


def session_event(kind: Literal["created", "updated"], dialect: Dialect, session: JsonObject) -> JsonObject:
    prefix = "session" if dialect == "ga" else "transcription_session"
    return {"type": f"{prefix}.{kind}", "event_id": event_id(), "session": session}


def session_object(config: LiveConfig, dialect: Dialect, session_id: str, expires_at: int) -> JsonObject:
    """The full effective session, as `session.created` and every `session.updated` carry it."""
    transcription: JsonObject = {"model": config.model, "language": config.language, "prompt": config.prompt}
    if config.languages:
        transcription["languages"] = list(config.languages)
    if config.keywords:
        transcription["keywords"] = list(config.keywords)
    detection = None
    if config.turn_detection is not None:
        detection = {"type": "server_vad", **asdict(config.turn_detection)}
    noise = None if config.noise_reduction is None else {"type": config.noise_reduction}
    include = [LOGPROBS] if config.logprobs else None
    common = {"id": session_id, "object": "realtime.transcription_session", "expires_at": expires_at}
    if dialect == "beta":
        return {
            **common,
            "input_audio_format": BETA_FORMATS[config.audio.encoding],
            "input_audio_transcription": transcription,
            "turn_detection": detection,
            "input_audio_noise_reduction": noise,
            "include": include,
            "modalities": ["text"],
            "client_secret": None,  # as in OpenAI's own example: Auricle hands out no ephemeral keys
        }
    audio_input = {
        "format": _format(config.audio),
        "transcription": transcription,
        "noise_reduction": noise,
        "turn_detection": detection,
    }
    return {"type": "transcription", **common, "include": include, "audio": {"input": audio_input}}


def events(event: LiveEvent, dialect: Dialect, config: LiveConfig) -> list[JsonObject]:
    """The wire events for one of the session's events (a commit and a completion are two in GA)."""
    if isinstance(event, Committed):
        kind = "conversation.item.added" if dialect == "ga" else "conversation.item.created"
        previous = event.previous_item_id
        committed = _event("input_audio_buffer.committed", item_id=event.item_id, previous_item_id=previous)
        return [committed, _event(kind, previous_item_id=previous, item=_item(event.item_id, None))]
    if isinstance(event, Completed):
        done = _completed(event.item_id, event.transcript, config)
        if dialect == "beta":
            return [done]
        return [done, _event("conversation.item.done", item=_item(event.item_id, event.transcript.text))]
    return [_single(event, config)]


def _single(event: LiveEvent, config: LiveConfig) -> JsonObject:
    match event:
        case SpeechStarted(item_id, at_ms):
            return _event("input_audio_buffer.speech_started", audio_start_ms=at_ms, item_id=item_id)
        case SpeechStopped(item_id, at_ms):
            return _event("input_audio_buffer.speech_stopped", audio_end_ms=at_ms, item_id=item_id)
        case Cleared():
            return _event("input_audio_buffer.cleared")
        case Delta():
            return _delta(event, config)
        case Failed(item_id, message, code):
            error = {"type": "transcription_error", "code": code, "message": message, "param": None}
            return _event(_TRANSCRIPTION + "failed", item_id=item_id, content_index=0, error=error)
    raise TypeError(f"not a live event: {event!r}")


def error(
    message: str, *, code: str | None, param: str | None = None, client_event_id: str | None = None
) -> JsonObject:
    """OpenAI's `error` event: the session stays open, and `event_id` inside names the client's event."""
    body = {"type": "invalid_request_error", "code": code, "message": message, "param": param}
    return _event("error", error={**body, "event_id": client_event_id})


_TRANSCRIPTION = "conversation.item.input_audio_transcription."


def _event(kind: str, **fields: Any) -> JsonObject:
    return {"type": kind, "event_id": event_id(), **fields}


def _item(item_id: str, transcript: str | None) -> JsonObject:
    return {
        "id": item_id,
        "object": "realtime.item",
        "type": "message",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_audio", "transcript": transcript}],
    }


def _delta(delta: Delta, config: LiveConfig) -> JsonObject:
    event = _event(_TRANSCRIPTION + "delta", item_id=delta.item_id, content_index=0, delta=delta.text)
    if config.logprobs:
        event["logprobs"] = None if delta.segments is None else logprobs(delta.segments, first=delta.first)
    return event


def _completed(item_id: str, transcript: Transcript, config: LiveConfig) -> JsonObject:
    event = _event(
        _TRANSCRIPTION + "completed",
        item_id=item_id,
        content_index=0,
        transcript=transcript.text,
        # Whisper is billed by the second of audio, and OpenAI's usage for it says so.
        usage={"type": "duration", "seconds": round(transcript.duration, 3)},
    )
    if config.logprobs:
        event["logprobs"] = logprobs(transcript.segments)
    if config.languages:
        event["languages"] = heard(transcript)
    return event


def _format(pcm: PcmFormat) -> JsonObject:
    if pcm.encoding == "audio/pcm":
        return {"type": "audio/pcm", "rate": pcm.rate}
    return {"type": pcm.encoding}
