"""Each format is one file for the whole stream, at OpenAI's rate, as long as the audio put in."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from auricle.audio.encode import FORMATS, StreamEncoder, wav_header
from auricle.audio.tempo import atempo_factors
from tests.support import spoken

RATE = 22_050


def tone(seconds: float, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 330 * t)).astype(np.float32)


def decoded(response_format: str, data: bytes) -> tuple[int, int, float]:
    """Rate, channels and seconds of `data`, read as one file."""
    audio = spoken.decoded(data, response_format)
    return audio.rate, audio.channels, audio.seconds


def stream_of(response_format: str, pieces: list[np.ndarray], speed: float = 1.0) -> tuple[bytes, list[int]]:
    encoder = StreamEncoder(response_format, RATE, speed)  # type: ignore[arg-type]
    parts = [encoder.encode(piece) for piece in pieces]
    parts.append(encoder.finish())
    return b"".join(parts), [len(part) for part in parts]


@pytest.mark.parametrize("response_format", list(FORMATS))
def test_pieces_make_one_file_that_streams(response_format: str) -> None:
    data, sizes = stream_of(response_format, [tone(1.5), tone(2.0), tone(0.5)])
    rate, channels, seconds = decoded(response_format, data)
    assert rate == (48_000 if response_format == "opus" else 24_000)
    assert channels == 1
    # mp3 and aac add their encoder's priming samples (under 0.07 s here).
    assert seconds == pytest.approx(4.0, abs=0.08)
    # Bytes leave with each piece, not only at the end.
    assert all(size > 0 for size in sizes[:3])


@pytest.mark.parametrize("speed", [0.25, 0.5, 2.0, 4.0])
@pytest.mark.parametrize("response_format", ["mp3", "flac"])
def test_speed_changes_the_length(response_format: str, speed: float) -> None:
    data, sizes = stream_of(response_format, [tone(1.5), tone(1.5)], speed)
    assert decoded(response_format, data)[2] == pytest.approx(3.0 / speed, rel=0.03, abs=0.08)
    assert sizes[0] > 0


def test_wav_header_is_openais_streamed_one() -> None:
    header = wav_header()
    assert len(header) == 44
    assert (header[:4], header[8:16], header[36:40]) == (b"RIFF", b"WAVEfmt ", b"data")
    assert struct.unpack("<I", header[4:8])[0] == struct.unpack("<I", header[40:44])[0] == 0xFFFFFFFF
    assert struct.unpack("<HHIIHH", header[20:36]) == (1, 1, 24_000, 48_000, 2, 16)


def test_pcm_is_raw_s16le() -> None:
    data, _ = stream_of("pcm", [np.full(24_000, 0.5, np.float32)])
    samples = np.frombuffer(data, "<i2")
    assert samples.size == pytest.approx(24_000 * 24_000 / RATE, abs=2)
    assert np.median(samples) == pytest.approx(0.5 * 32767, rel=0.01)


@pytest.mark.parametrize(
    ("speed", "factors"), [(1.0, []), (2.0, [2.0]), (0.25, [0.5, 0.5]), (0.3, [0.5, 0.6])]
)
def test_atempo_factors(speed: float, factors: list[float]) -> None:
    assert atempo_factors(speed) == pytest.approx(factors)
