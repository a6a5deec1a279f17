"""The fixtures themselves must be valid media, or every test built on them lies."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import av
import pytest

from .containers import (
    CONTAINERS,
    encode,
    png_image,
    sine_wav,
    video_without_audio,
)

SOURCE = Path(__file__).resolve().parents[3] / "shared/audio/jfk.flac"
SOURCE_SECONDS = 11.0
# AAC and Opus add encoder priming/padding that not every container trims.
TOLERANCE_SECONDS = 0.2


@pytest.fixture(scope="module")
def source() -> Path:
    if not SOURCE.is_file():
        pytest.skip(f"shared sample missing: {SOURCE}")
    return SOURCE


def _decoded_seconds(data: bytes) -> tuple[int, float]:
    """Audio stream count and decoded length of the first audio stream."""
    with av.open(io.BytesIO(data), "r") as container:
        streams = container.streams.audio
        if not streams:
            return 0, 0.0
        frames = container.decode(streams[0])
        return len(streams), sum(frame.samples / frame.sample_rate for frame in frames)


def test_source_is_eleven_seconds(source: Path) -> None:
    _, seconds = _decoded_seconds(source.read_bytes())
    assert seconds == pytest.approx(SOURCE_SECONDS, abs=TOLERANCE_SECONDS)


@pytest.mark.parametrize("container", CONTAINERS)
def test_encode_round_trips(source: Path, container: str) -> None:
    count, seconds = _decoded_seconds(encode(source, container))
    assert count == 1
    assert seconds == pytest.approx(SOURCE_SECONDS, abs=TOLERANCE_SECONDS)


def test_mpga_is_mp3(source: Path) -> None:
    assert encode(source, "mpga") == encode(source, "mp3")


def test_unknown_container_is_rejected(source: Path) -> None:
    with pytest.raises(KeyError):
        encode(source, "nope")


def test_video_without_audio_has_no_audio() -> None:
    data = video_without_audio()
    with av.open(io.BytesIO(data), "r") as container:
        assert len(container.streams.audio) == 0
        assert len(container.streams.video) == 1


def test_png_image_decodes() -> None:
    data = png_image(4, 3)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with av.open(io.BytesIO(data), "r") as container:
        frame = next(container.decode(video=0))
    assert (frame.width, frame.height) == (4, 3)


@pytest.mark.parametrize(("rate", "channels"), [(16000, 1), (44100, 2)])
def test_sine_wav_shape(rate: int, channels: int) -> None:
    with wave.open(io.BytesIO(sine_wav(1.5, rate, channels)), "rb") as reader:
        assert reader.getframerate() == rate
        assert reader.getnchannels() == channels
        assert reader.getnframes() == round(1.5 * rate)
