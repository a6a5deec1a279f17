"""The model ids and voice names a client may ask for, and what each one means here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from auricle.errors import InvalidRequest, NotFound

OPENAI_MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts", "gpt-4o-mini-tts-2025-12-15")
NATIVE_MODELS = ("hibari", "piper")
SPEECH_MODELS = (*OPENAI_MODELS, *NATIVE_MODELS)
"""What `GET /v1/models` and `/v1/audio/models` list. Every model reads with the voice asked for."""
_DATED = re.compile(r"^gpt-4o-mini-tts-\d{4}-\d{2}-\d{2}$")

OPENAI_VOICES = (
    "alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse", "marin",
    "cedar",
)  # fmt: skip
NATIVE_VOICES: dict[str, str] = {
    "heart": "heart",
    "hibari-heart": "heart",
    "joe": "joe",
    "en_US-joe-medium": "joe",
}
VOICE_NAMES = {
    "heart": "Heart (hibari, American English, female)",
    "joe": "Joe (Piper, American English, male)",
}


def speech_model(requested: str) -> str:
    """`requested` if it names a speech model, else OpenAI's 404 `model_not_found`."""
    if requested in SPEECH_MODELS or _DATED.match(requested):
        return requested
    raise NotFound(
        f"The model `{requested}` does not exist or you do not have access to it.", code="model_not_found"
    )


@dataclass(frozen=True, slots=True)
class VoiceChoice:
    requested: str
    voice_id: str
    """The bundled voice that will read: `heart` or `joe`."""


def choose_voice(requested: str, mapping: Mapping[str, str], default: str) -> VoiceChoice:
    """The bundled voice for an OpenAI name or a native id; 400 naming every accepted one otherwise."""
    if requested in NATIVE_VOICES:
        return VoiceChoice(requested, NATIVE_VOICES[requested])
    if requested in OPENAI_VOICES:
        return VoiceChoice(requested, mapping.get(requested, default))
    accepted = ", ".join(f"'{name}'" for name in (*OPENAI_VOICES, *NATIVE_VOICES))
    raise InvalidRequest(
        f"Invalid value for 'voice': '{requested}'. Supported values are: {accepted}.",
        param="voice",
        code="invalid_value",
    )
