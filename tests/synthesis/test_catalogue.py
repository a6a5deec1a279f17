"""Model ids and voice names as OpenAI's clients send them."""

from __future__ import annotations

import pytest

from auricle.config import SPEECH_VOICES
from auricle.errors import InvalidRequest, NotFound
from auricle.synthesis.catalogue import OPENAI_VOICES, choose_voice, speech_model


@pytest.mark.parametrize(
    "model",
    [
        "tts-1",
        "tts-1-hd",
        "gpt-4o-mini-tts",
        "gpt-4o-mini-tts-2025-12-15",
        "gpt-4o-mini-tts-2026-03-01",
        "hibari",
        "piper",
    ],
)
def test_speech_models(model: str) -> None:
    assert speech_model(model) == model


@pytest.mark.parametrize("model", ["whisper-1", "gpt-5-tts", "tts-2", "gpt-4o-mini-tts-latest"])
def test_unknown_model_is_not_found(model: str) -> None:
    with pytest.raises(NotFound) as raised:
        speech_model(model)
    assert raised.value.code == "model_not_found"


def test_every_openai_voice_is_mapped_by_default() -> None:
    assert set(SPEECH_VOICES) == set(OPENAI_VOICES)
    assert len(OPENAI_VOICES) == 13
    assert choose_voice("alloy", SPEECH_VOICES, "heart").voice_id == "heart"
    assert choose_voice("onyx", SPEECH_VOICES, "heart").voice_id == "joe"


@pytest.mark.parametrize(
    ("native", "voice_id"),
    [("heart", "heart"), ("hibari-heart", "heart"), ("joe", "joe"), ("en_US-joe-medium", "joe")],
)
def test_native_ids(native: str, voice_id: str) -> None:
    assert choose_voice(native, {}, "heart").voice_id == voice_id


def test_a_name_left_out_of_the_mapping_gets_the_default() -> None:
    assert choose_voice("echo", {}, "heart").voice_id == "heart"


def test_unknown_voice_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidRequest) as raised:
        choose_voice("Alloy", SPEECH_VOICES, "heart")
    assert raised.value.param == "voice"
    assert all(f"'{name}'" in raised.value.message for name in OPENAI_VOICES)
