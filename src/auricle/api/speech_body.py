"""The JSON body of `POST /v1/audio/speech`, checked as OpenAI's `CreateSpeechRequest` is."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auricle.audio.encode import ResponseFormat
from auricle.errors import InvalidRequest

MAX_INPUT_CHARS = 4096


class VoiceObject(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str


class SpeechBody(BaseModel):
    # OpenAI's schema has additionalProperties: false.
    model_config = ConfigDict(extra="forbid")

    model: str
    input: str = Field(max_length=MAX_INPUT_CHARS)
    voice: str | VoiceObject
    instructions: str | None = Field(default=None, max_length=MAX_INPUT_CHARS)
    """Accepted and ignored, as OpenAI does for tts-1: neither bundled voice takes style directions."""
    response_format: ResponseFormat = "mp3"
    speed: float = Field(default=1.0, ge=0.25, le=4.0)
    stream_format: Literal["audio", "sse"] = "audio"

    @property
    def voice_id(self) -> str:
        return self.voice if isinstance(self.voice, str) else self.voice.id


def parse_speech(body: bytes) -> SpeechBody:
    """The request, or OpenAI's 400 naming the first parameter that is wrong."""
    try:
        return SpeechBody.model_validate_json(body)
    except ValidationError as error:
        raise _invalid(error) from None


def _invalid(error: ValidationError) -> InvalidRequest:
    first = error.errors(include_url=False)[0]
    kind, location = first["type"], [str(part) for part in first["loc"]]
    param = location[0] if location else None
    if kind == "json_invalid":
        return InvalidRequest(
            "We could not parse the JSON body of your request. The API expects a JSON object, "
            "but what was sent was not valid JSON.",
            code="invalid_json",
        )
    if not location:
        return InvalidRequest("The request body must be a JSON object.", code="invalid_json")
    if kind == "missing":
        return InvalidRequest(
            f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter"
        )
    if kind == "extra_forbidden":
        name = ".".join(location)
        return InvalidRequest(
            f"Unrecognized request argument supplied: {name}", param=name, code="unknown_parameter"
        )
    if param == "voice" and kind in ("string_type", "model_type", "model_attributes_type"):
        message = "Input should be a valid string or an object with a string 'id'"
        return InvalidRequest(f"Invalid type for 'voice': {message}.", param="voice", code="invalid_type")
    return InvalidRequest(f"Invalid '{param}': {first['msg']}.", param=param, code=f"invalid_{param}")
