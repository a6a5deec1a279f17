"""Translation always produces English; a requested language is honoured."""

from __future__ import annotations

import io
from pathlib import Path

import av
import openai
import pytest

from tests.support.openapi import validate

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.model,
    # openai 3.x marks `audio.translations.create` deprecated; the endpoint is still OpenAI's and ours.
    pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning"),
]

GERMAN_START_SECONDS = 31.0  # the German reading starts at about 30 s


def german_half(source: Path) -> bytes:
    """The German part of multilingual.mp3 as 16 kHz mono WAV."""
    out = io.BytesIO()
    with av.open(str(source)) as inp, av.open(out, "w", format="wav") as output:
        stream = output.add_stream("pcm_s16le", rate=16000, layout="mono")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=16000)
        for frame in inp.decode(audio=0):
            if frame.time is None or frame.time < GERMAN_START_SECONDS:
                continue
            for resampled in resampler.resample(frame):
                output.mux(stream.encode(resampled))
        output.mux(stream.encode(None))
    return out.getvalue()


async def test_translation_of_mixed_speech_is_english(sdk: openai.AsyncOpenAI, multilingual: Path) -> None:
    raw = await sdk.audio.translations.with_raw_response.create(
        model="whisper-1", file=multilingual, response_format="verbose_json"
    )
    body = raw.http_response.json()
    validate(body, "CreateTranslationResponseVerboseJson")
    assert body["language"] == "english"
    assert body["task"] == "translate"
    text = body["text"].lower()
    assert "permission is hereby granted" in text
    assert "software" in text
    for german in (" und ", " der ", " die ", "jedem", "genehmigung"):
        assert german not in f" {text} "


async def test_translation_of_german_is_english(sdk: openai.AsyncOpenAI, multilingual: Path) -> None:
    german = german_half(multilingual)
    result = await sdk.audio.translations.create(model="whisper-1", file=("german.wav", german))
    text = f" {result.text.lower()} "
    assert "software" in text
    assert " the " in text
    assert " und " not in text
    assert " der " not in text


async def test_language_de_is_honoured_on_the_german_half(
    sdk: openai.AsyncOpenAI, multilingual: Path
) -> None:
    german = german_half(multilingual)
    result = await sdk.audio.transcriptions.create(
        model="whisper-1", file=("german.wav", german), language="de", response_format="verbose_json"
    )
    assert result.language == "german"
    text = f" {result.text.lower()} "
    assert " und " in text or " der " in text or " die " in text
    assert "software" in text
