"""The intelligibility round trip: the service's own Whisper base reads back what each voice said.

Ten sentences of our own with numbers, money, dates, times and abbreviations, synthesised through the
SDK and transcribed by the same app; WER after Whisper's normaliser (which writes "three dollars and
fifty cents" as "$3.50") at most 5% for hibari and 10% for Piper, the bounds of issue 30. The normalised
readings must come back: a number read digit by digit or a date read as "twelve slash six" would not.
"""

from __future__ import annotations

import io
import re
from typing import Literal

import openai
import pytest

from auricle.synthesis.piper_engine import piper_installed
from tests.support.text import normalize, word_error_rate

pytestmark = [pytest.mark.anyio, pytest.mark.model]

# What we send, and what a listener should write down (Whisper's way of writing it).
SENTENCES = [
    ("The ticket costs $3.50 at the station.", "The ticket costs $3.50 at the station."),
    ("Our meeting moved to March 14th at 9:30 am.", "Our meeting moved to March 14th at 9:30 am."),
    ("She was born on 2001-07-04 in a small town.", "She was born on July 4th 2001 in a small town."),
    ("Prices rose by 12% over the last year.", "Prices rose by 12% over the last year."),
    ("The bridge is 250 meters long and very old.", "The bridge is 250 meters long and very old."),
    ("Dr. Smith paid $1,200 for the new computer.", "Doctor Smith paid $1,200 for the new computer."),
    ("We expect 45 guests for dinner on Friday night.", "We expect 45 guests for dinner on Friday night."),
    ("The train leaves at 6:15 pm from platform 3.", "The train leaves at 6:15 pm from platform 3."),
    ("He ran the race in 42 minutes and came 2nd.", "He ran the race in 42 minutes and came 2nd."),
    ("Please send the report before the 21st of June.", "Please send the report before the 21st of June."),
]
# What must come back, as Whisper's normaliser writes it.
HEARD = {0: "$3.50", 3: "12%", 5: "$1200", 6: "45", 8: "42"}
BOUNDS = {"heart": 0.05, "joe": 0.10}
# Each voice through a lossy format at the encoders' fast settings: mp3 (the default) and opus.
FORMATS: dict[str, Literal["mp3", "opus"]] = {"heart": "mp3", "joe": "opus"}
# Whisper writes a time it heard right as "9:30" or "9.30", "pm" or "p.m.", "4th" or "4": the same words.
_CLOCK = re.compile(r"\b(\d{1,2})[:.](\d{2})\b(?!%)")
_MERIDIEM = re.compile(r"\b([ap])\.m\.", re.IGNORECASE)


def canonical(text: str) -> str:
    return _MERIDIEM.sub(r"\1m", _CLOCK.sub(r"\1:\2", text)).replace("July 4,", "July 4th").replace(",", "")


@pytest.mark.parametrize("voice", ["heart", "joe"])
async def test_whisper_reads_back_what_the_voice_said(
    sdk: openai.AsyncOpenAI, voice: str, record_figure: object
) -> None:
    if voice == "joe" and not piper_installed():
        pytest.skip("auricle[piper] is not installed")
    heard = []
    for sentence, _ in SENTENCES:
        speech = await sdk.audio.speech.create(
            model="tts-1", voice=voice, input=sentence, response_format=FORMATS[voice]
        )
        text = await sdk.audio.transcriptions.create(
            model="base",
            file=(f"speech.{FORMATS[voice]}", io.BytesIO(speech.content)),
            language="en",
            response_format="text",
        )
        heard.append(str(text))
    expected = [canonical(written) for _, written in SENTENCES]
    wer = word_error_rate(expected, [canonical(text) for text in heard])
    assert callable(record_figure)
    record_figure(f"speech round trip, {voice} -> Whisper base: WER {wer:.1%} on {len(SENTENCES)} sentences")
    misread = "\n".join(
        f"{e!r} -> {h!r}" for e, h in zip(expected, heard, strict=True) if normalize(e) != normalize(h)
    )
    assert wer <= BOUNDS[voice], misread
    for index, form in HEARD.items():
        assert form in normalize(heard[index]), (SENTENCES[index][0], heard[index])
