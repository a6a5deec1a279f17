"""Decoding: any container to 16 kHz mono float32, or the error OpenAI would give."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
import pytest

from auricle.audio.decode import decode, probe
from auricle.audio.errors import AudioTooLong, AudioTooShort, NoAudioStream, UndecodableAudio
from auricle.engine.protocol import SAMPLE_RATE
from tests.support.containers import CONTAINERS, encode, png_image, sine_wav, video_without_audio

HOUR = 3600.0


def run(data: bytes, max_seconds: float = HOUR) -> np.ndarray:
    return decode(io.BytesIO(data), max_seconds)


@pytest.mark.parametrize("container", CONTAINERS)
def test_every_container_decodes_to_16k_mono(jfk: Path, container: str) -> None:
    samples = run(encode(jfk, container))
    assert samples.dtype == np.float32
    assert samples.ndim == 1
    assert len(samples) / SAMPLE_RATE == pytest.approx(11.0, abs=0.1)
    assert 0.05 < float(np.abs(samples).max()) <= 1.0


@pytest.mark.parametrize(("rate", "channels"), [(8000, 1), (44100, 2), (48000, 6), (192000, 8)])
def test_any_rate_and_layout_is_downmixed_and_resampled(rate: int, channels: int) -> None:
    samples = run(sine_wav(0.5, rate=rate, channels=channels))
    assert len(samples) == pytest.approx(SAMPLE_RATE / 2, abs=SAMPLE_RATE * 0.01)
    assert float(np.abs(samples).max()) > 0.1


def float_wav(values: list[float]) -> bytes:
    """A 32-bit float WAV (format tag 3), which can carry NaN and infinities."""
    data = struct.pack(f"<{len(values)}f", *values)
    fmt = struct.pack("<HHIIHH", 3, 1, SAMPLE_RATE, SAMPLE_RATE * 4, 4, 32)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def test_nan_and_infinity_become_silence() -> None:
    values = [0.1, float("nan"), float("inf"), float("-inf"), 5.0] * 1000
    samples = run(float_wav(values))
    assert np.isfinite(samples).all()
    assert samples[1:4].tolist() == [0.0, 0.0, 0.0]
    assert float(np.abs(samples).max()) <= 1.0


def test_a_truncated_file_keeps_what_decoded(jfk: Path) -> None:
    mp3 = encode(jfk, "mp3")
    samples = run(mp3[: len(mp3) // 2])
    assert 4.0 < len(samples) / SAMPLE_RATE < 7.0


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", UndecodableAudio),
        (b"\x00" * 5000, UndecodableAudio),
        (png_image(), NoAudioStream),
        (video_without_audio(), NoAudioStream),
        (sine_wav(0.09), AudioTooShort),
        (sine_wav(0.0), AudioTooShort),
    ],
    ids=["empty", "zeros", "png", "video-only", "90ms", "no-samples"],
)
def test_bad_input_raises_its_error(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        run(data)


def test_exactly_the_minimum_length_is_accepted() -> None:
    assert len(run(sine_wav(0.1))) == SAMPLE_RATE // 10


def test_duration_cap() -> None:
    with pytest.raises(AudioTooLong, match="Maximum audio length is 2 seconds"):
        run(sine_wav(3.0), max_seconds=2.0)


def test_probe_passes_audio_and_rewinds() -> None:
    source = io.BytesIO(sine_wav(1.0))
    probe(source)
    assert source.tell() == 0
    assert run(source.getvalue()).size == SAMPLE_RATE


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"not audio" * 100, UndecodableAudio),
        (png_image(), NoAudioStream),
        (video_without_audio(), NoAudioStream),
    ],
)
def test_probe_refuses_what_is_not_audio(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        probe(io.BytesIO(data))
