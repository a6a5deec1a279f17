from __future__ import annotations

from typing import Any

import pytest

from auricle.api.realtime.session_update import apply
from auricle.audio.pcm import PcmFormat
from auricle.errors import InvalidRequest
from auricle.live.config import LiveConfig
from auricle.live.turns import TurnDetection

START = LiveConfig(model="whisper-1")


def _ga(**audio_input: Any) -> dict[str, Any]:
    return {"type": "transcription", "audio": {"input": audio_input}}


def test_only_the_fields_present_change() -> None:
    config = apply(START, _ga(transcription={"language": "fr"}), "ga", 100)
    again = apply(config, _ga(transcription={"prompt": "Bonjour"}), "ga", 100)
    assert (again.language, again.prompt, again.model) == ("fr", "Bonjour", "whisper-1")
    assert again.turn_detection == TurnDetection()


def test_null_turns_detection_off_and_an_object_sets_it() -> None:
    off = apply(START, _ga(turn_detection=None), "ga", 100)
    on = apply(off, _ga(turn_detection={"type": "server_vad", "silence_duration_ms": 800}), "ga", 100)
    assert off.turn_detection is None
    assert on.turn_detection == TurnDetection(0.5, 300, 800)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"type": "audio/pcm", "rate": 24000}, PcmFormat("audio/pcm", 24_000)),
        ({"type": "audio/pcm", "rate": 16000}, PcmFormat("audio/pcm", 16_000)),
        ({"type": "audio/pcma"}, PcmFormat("audio/pcma", 8_000)),
        ("pcm16", PcmFormat("audio/pcm", 24_000)),
        ("g711_ulaw", PcmFormat("audio/pcmu", 8_000)),
    ],
)
def test_formats(value: object, expected: PcmFormat) -> None:
    assert apply(START, _ga(format=value), "ga", 100).audio == expected


def test_the_beta_dialect_is_flat() -> None:
    session = {
        "input_audio_format": "g711_alaw",
        "input_audio_transcription": {"model": "base", "language": "de", "prompt": ""},
        "turn_detection": {"type": "server_vad", "threshold": 0.7, "create_response": True},
        "input_audio_noise_reduction": {"type": "near_field"},
        "include": ["item.input_audio_transcription.logprobs"],
        "modalities": ["text"],
    }
    config = apply(START, session, "beta", 100)
    assert config == LiveConfig(
        model="base",
        audio=PcmFormat("audio/pcma", 8_000),
        language="de",
        turn_detection=TurnDetection(0.7, 300, 500),
        logprobs=True,
        noise_reduction="near_field",
    )


@pytest.mark.parametrize(
    ("session", "param", "code"),
    [
        ({"audio": {}}, "session.type", "missing_required_parameter"),
        (
            _ga(turn_detection={"type": "semantic_vad"}),
            "session.audio.input.turn_detection.type",
            "invalid_value",
        ),
        (
            _ga(transcription={"language": "english"}),
            "session.audio.input.transcription.language",
            "invalid_language_format",
        ),
        (
            _ga(transcription={"languages": ["xx"]}),
            "session.audio.input.transcription.languages",
            "invalid_value",
        ),
        (
            _ga(transcription={"prompt": "x" * 101}),
            "session.audio.input.transcription.prompt",
            "invalid_value",
        ),
        (_ga(format={"type": "audio/opus"}), "session.audio.input.format.type", "invalid_value"),
        (_ga(noise_reduction={"type": "loud"}), "session.audio.input.noise_reduction.type", "invalid_value"),
        ({"type": "transcription", "include": ["everything"]}, "session.include", "invalid_value"),
        ({"type": "transcription", "voice": "alloy"}, "session.voice", "unknown_parameter"),
        ("not an object", "session", "invalid_type"),
    ],
)
def test_what_is_refused_names_its_field(session: object, param: str, code: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        apply(START, session, "ga", 100)
    assert (refused.value.param, refused.value.code) == (param, code)
