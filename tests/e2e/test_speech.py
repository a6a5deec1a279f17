"""The real voices through the official SDK, in-process: every format decodes as one file of the right
rate, channels and length, whole or streamed; `speed` sets the length across OpenAI's whole range."""

from __future__ import annotations

import functools

import openai
import pytest

from auricle.audio.encode import ResponseFormat
from auricle.synthesis.piper_engine import piper_installed
from tests.support.spoken import Decoded, decoded

pytestmark = [pytest.mark.anyio, pytest.mark.model]

TEXT = "The quick brown fox jumps over the lazy dog, and then it runs away."
FORMATS: list[ResponseFormat] = ["mp3", "opus", "aac", "flac", "wav", "pcm"]
VOICES = [
    "alloy",
    pytest.param("onyx", marks=pytest.mark.skipif(not piper_installed(), reason="no auricle[piper]")),
]
# mp3 and aac add their encoders' priming samples and pad the last frame.
PADDING_SECONDS = 0.1
# hibari's noise is seeded, so its lengths repeat exactly; Piper's duration noise is drawn inside its ONNX
# graph, so the same text runs a few percent longer or shorter each time (2% seen).
SPREAD = {"alloy": 0.0, "onyx": 0.08}


@functools.cache
def expected_rate(response_format: str) -> int:
    return 48_000 if response_format == "opus" else 24_000


async def pcm_seconds(sdk: openai.AsyncOpenAI, voice: str, speed: float = 1.0) -> float:
    reply = await sdk.audio.speech.create(
        model="tts-1", voice=voice, input=TEXT, response_format="pcm", speed=speed
    )
    return decoded(reply.content, "pcm").seconds


def check(audio: Decoded, response_format: str, seconds: float, voice: str) -> None:
    assert audio.rate == expected_rate(response_format)
    assert audio.channels == 1
    spread = SPREAD[voice] * seconds
    assert seconds - spread <= audio.seconds <= seconds + spread + PADDING_SECONDS


@pytest.mark.parametrize("voice", VOICES)
@pytest.mark.parametrize("response_format", FORMATS)
async def test_create_in_every_format(
    sdk: openai.AsyncOpenAI, voice: str, response_format: ResponseFormat
) -> None:
    seconds = await pcm_seconds(sdk, voice)
    assert 3 < seconds < 8
    reply = await sdk.audio.speech.create(
        model="gpt-4o-mini-tts", voice=voice, input=TEXT, response_format=response_format
    )
    check(decoded(reply.content, response_format), response_format, seconds, voice)


@pytest.mark.parametrize("voice", VOICES)
@pytest.mark.parametrize("response_format", FORMATS)
async def test_streamed_in_every_format(
    sdk: openai.AsyncOpenAI, voice: str, response_format: ResponseFormat
) -> None:
    seconds = await pcm_seconds(sdk, voice)
    async with sdk.audio.speech.with_streaming_response.create(
        model="tts-1-hd", voice=voice, input=TEXT, response_format=response_format
    ) as reply:
        assert reply.headers["x-auricle-voice"] == ("heart" if voice == "alloy" else "joe")
        chunks = [chunk async for chunk in reply.iter_bytes()]
    check(decoded(b"".join(chunks), response_format), response_format, seconds, voice)


@pytest.mark.parametrize("voice", VOICES)
@pytest.mark.parametrize("speed", [0.25, 0.5, 2.0, 4.0])
async def test_speed_sets_the_length(sdk: openai.AsyncOpenAI, voice: str, speed: float) -> None:
    normal = await pcm_seconds(sdk, voice)
    assert await pcm_seconds(sdk, voice, speed) == pytest.approx(normal / speed, rel=0.02 + SPREAD[voice])


async def test_the_default_is_mp3(sdk: openai.AsyncOpenAI) -> None:
    reply = await sdk.audio.speech.create(model="tts-1", voice="nova", input="Hello.")
    assert reply.response.headers["content-type"] == "audio/mpeg"
    assert decoded(reply.content).rate == 24_000
