"""A speech stream with `stream_format: "sse"`: OpenAI's `speech.audio.delta` and `speech.audio.done` events.

Each event is one `data:` line of compact JSON and a blank line, as for transcriptions (`events.py`).
A delta carries the next bytes of the same one file the audio stream would send, base64-encoded.
"""

from __future__ import annotations

import base64
import json
import math

MEDIA_TYPE = "text/event-stream"
AUDIO_TOKENS_PER_SECOND = 80
"""`output_tokens` counts audio in frames of 12.5 ms; `input_tokens` counts the input's characters."""


def _event(payload: dict[str, object]) -> bytes:
    return b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"


def delta(audio: bytes) -> bytes:
    return _event({"type": "speech.audio.delta", "audio": base64.b64encode(audio).decode("ascii")})


def done(characters: int, audio_seconds: float) -> bytes:
    output_tokens = math.ceil(audio_seconds * AUDIO_TOKENS_PER_SECOND)
    usage = {
        "input_tokens": characters,
        "output_tokens": output_tokens,
        "total_tokens": characters + output_tokens,
    }
    return _event({"type": "speech.audio.done", "usage": usage})
