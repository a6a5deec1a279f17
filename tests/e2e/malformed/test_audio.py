"""Uploads whose file part is the problem, against the real app on the real models.

A speech server is fed whatever a client has on disk: files that are not audio, recordings cut short or
mislabelled, hours hidden in a few bytes, names a filesystem would choke on. Each case checks the exact
answer, an OpenAI error for what can never work and the right words for what a lenient server should
accept, and after it the same app must still transcribe a normal recording, so no upload leaves it broken.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest

from auricle.api.app import create_app
from auricle.config import Settings
from tests.support.containers import encode, png_image, video_without_audio
from tests.support.malformed import (
    Audio,
    poisoned,
    random_bytes,
    silence,
    silent_flac,
    speech,
    text_file,
    wav,
    white_noise,
)
from tests.support.rejections import (
    FAST_MODEL,
    JFK_START,
    JFK_WORDS,
    NO_AUDIO,
    TOO_SHORT,
    UNDECODABLE,
    Make,
    Rejected,
    asgi_client,
    assert_rejected,
    assert_says,
    post,
)

pytestmark = [pytest.mark.anyio, pytest.mark.model]


@functools.cache
def jfk_as(source: Path, container: str) -> bytes:
    """jfk.flac re-encoded, made once per container for every case that cuts or mislabels it."""
    return encode(source, container)


@functools.cache
def jfk_pcm(source: Path) -> Audio:
    return speech(source, 16000)


def first_bytes(container: str, count: int) -> Make:
    """jfk in ``container``, cut off after ``count`` bytes."""
    return lambda source: jfk_as(source, container)[:count]


def first_half(container: str) -> Make:
    """jfk in ``container``, cut off in the middle of its bytes: mid-stream, after seconds of audio."""
    return lambda source: jfk_as(source, container)[: len(jfk_as(source, container)) // 2]


# --- uploads that are not audio at all ---------------------------------------------------------------------

EXTENSIONS = ("flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm")


@pytest.mark.parametrize("extension", EXTENSIONS)
async def test_random_bytes_are_undecodable_whatever_their_name(
    http: httpx2.AsyncClient, extension: str
) -> None:
    noise = random_bytes(64 * 1024, seed=EXTENSIONS.index(extension))
    assert_rejected(await post(http, noise, filename=f"recording.{extension}"), UNDECODABLE)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(lambda _: b"", UNDECODABLE, id="zero-bytes"),
        pytest.param(lambda _: video_without_audio(), NO_AUDIO, id="video-without-audio"),
        pytest.param(lambda _: png_image(), NO_AUDIO, id="png-image"),
        pytest.param(lambda _: text_file(), UNDECODABLE, id="text-file"),
        # Every header below is cut at byte 20, before the demuxer learns the stream's format.
        pytest.param(first_bytes("mp3", 20), UNDECODABLE, id="mp3-cut-in-id3-header"),
        pytest.param(first_bytes("flac", 20), UNDECODABLE, id="flac-cut-in-streaminfo"),
        pytest.param(first_bytes("ogg-opus", 20), UNDECODABLE, id="ogg-cut-in-first-page"),
        pytest.param(first_bytes("wav", 20), UNDECODABLE, id="wav-cut-in-fmt-chunk"),
        # A whole header with nothing after it: a valid stream holding no audio.
        pytest.param(lambda _: wav(silence(0), 16000), TOO_SHORT, id="wav-header-without-samples"),
        pytest.param(lambda _: wav(silence(1 / 16000), 16000), TOO_SHORT, id="single-sample"),
    ],
)
async def test_upload_without_usable_audio_is_rejected(
    http: httpx2.AsyncClient, jfk: Path, make: Make, expected: Rejected
) -> None:
    assert_rejected(await post(http, make(jfk)), expected)


# --- damaged or unusual audio that still holds speech ------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "words"),
    [
        # Cut mid-stream: the audio before the break is kept, as FFmpeg's own tools keep it.
        pytest.param(first_half("mp3"), JFK_START, id="mp3-cut-mid-stream"),
        pytest.param(first_half("flac"), JFK_START, id="flac-cut-mid-stream"),
        pytest.param(first_half("ogg-opus"), JFK_START, id="ogg-cut-mid-stream"),
        pytest.param(first_half("wav"), JFK_START, id="wav-cut-mid-stream"),
        # Streaming recorders write a placeholder size before they know the real one.
        pytest.param(
            lambda jfk: wav(jfk_pcm(jfk), 16000, declared_data_bytes=0xFFFF0000),
            JFK_WORDS,
            id="wav-header-claims-more-than-it-holds",
        ),
        # The header is believed: what lies past the declared end is not audio to the demuxer.
        pytest.param(
            lambda jfk: wav(jfk_pcm(jfk), 16000, declared_data_bytes=4 * 16000 * 2),  # 4 s of it
            JFK_START,
            id="wav-header-claims-less-than-it-holds",
        ),
        pytest.param(
            lambda jfk: wav(speech(jfk, 192000, channels=8, seconds=4), 192000, extensible=True),
            JFK_START,
            id="8-channel-192khz-with-speaker-mask",
        ),
        pytest.param(
            lambda jfk: wav(speech(jfk, 192000, channels=8, seconds=4), 192000),
            JFK_START,
            id="8-channel-192khz-without-speaker-mask",
        ),
        pytest.param(lambda jfk: wav(speech(jfk, 8000), 8000), JFK_WORDS, id="8khz-mono"),
        pytest.param(
            lambda jfk: wav(poisoned(jfk_pcm(jfk), every=8000), 16000, float32=True),
            JFK_WORDS,
            id="float-nan-and-inf",
        ),
    ],
)
async def test_damaged_or_unusual_audio_is_transcribed(
    http: httpx2.AsyncClient, jfk: Path, make: Make, words: str
) -> None:
    assert_says(await post(http, make(jfk)), words)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: wav(silence(10), 16000), id="digital-silence"),
        pytest.param(lambda: wav(white_noise(10), 16000), id="loud-white-noise"),
    ],
)
async def test_nothing_to_hear_gives_empty_text(http: httpx2.AsyncClient, make: Callable[[], bytes]) -> None:
    # Whisper invents sentences ("Thank you.") for audio without speech; the service must not pass them on.
    response = await post(http, make(), fields={"model": "whisper-1"})
    assert response.status_code == 200, response.text
    assert response.json()["text"] == ""


# --- audio too long to accept ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(silent_flac, id="flac-of-silence"),
        # One sample per second: every 2 bytes of it become 16000 samples at Whisper's rate.
        pytest.param(lambda seconds: wav(silence(seconds, rate=1), 1), id="wav-at-1-hz"),
    ],
)
async def test_tiny_file_decoding_to_hours_hits_the_duration_cap(
    http: httpx2.AsyncClient, real_settings: Settings, make: Callable[[float], bytes]
) -> None:
    cap = real_settings.max_audio_seconds
    hours = make(cap + 60)
    # The upload limit cannot catch a file this small: only the decoded length can.
    assert len(hours) < 100_000
    expected = Rejected(400, "audio_too_long", "file", f"Maximum audio length is {cap:g} seconds")
    assert_rejected(await post(http, hours), expected)


async def test_duration_cap_follows_the_setting(model_cache: Path, jfk_flac: bytes) -> None:
    settings = Settings(
        cache_dir=model_cache,
        models={FAST_MODEL: "bundled:tiny.en"},
        default_model=FAST_MODEL,
        max_audio_seconds=60,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app), asgi_client(app) as http:
        expected = Rejected(400, "audio_too_long", "file", "Maximum audio length is 60 seconds")
        assert_rejected(await post(http, silent_flac(61)), expected)
        assert_says(await post(http, jfk_flac), JFK_WORDS)


# --- names and part types ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        pytest.param("../../etc/passwd.wav", "audio/wav", id="parent-directories"),
        pytest.param("a/b\\c.mp3", "audio/mpeg", id="both-separators"),
        pytest.param("日本語 🎤.flac", "audio/flac", id="unicode"),
        pytest.param("recording", "audio/flac", id="no-extension"),
        # The content is sniffed, never taken from the name or the part's type.
        pytest.param("audio.flac", "text/plain", id="typed-text-plain"),
        pytest.param("audio.flac", "image/png", id="typed-image-png"),
    ],
)
async def test_filename_and_part_type_do_not_matter(
    http: httpx2.AsyncClient, jfk_flac: bytes, filename: str, content_type: str
) -> None:
    response = await post(http, jfk_flac, filename=filename, content_type=content_type)
    assert_says(response, JFK_WORDS)
