"""Downmixing: a speaking channel among silent ones keeps its level; where all carry sound, FFmpeg's mix."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest

from auricle.audio.decode import decode
from tests.support.speech import samples_of


def wav(channels: list[np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(len(channels))
        writer.setsampwidth(2)
        writer.setframerate(16000)
        writer.writeframes((np.stack(channels, axis=1) * 32767).round().astype("<i2").tobytes())
    return buffer.getvalue()


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


@pytest.mark.parametrize(("count", "speaking"), [(2, 0), (2, 1), (6, 2), (8, 5)])
def test_one_speaking_channel_among_silent_ones_keeps_its_level(jfk: Path, count: int, speaking: int) -> None:
    speech = samples_of(jfk) * 0.5
    channels = [np.zeros_like(speech) for _ in range(count)]
    channels[speaking] = speech
    mixed = decode(io.BytesIO(wav(channels)), 60)
    assert len(mixed) == len(speech)
    assert rms(mixed) == pytest.approx(rms(speech), rel=0.01)


def test_a_noise_floor_counts_as_silent(jfk: Path) -> None:
    speech = samples_of(jfk) * 0.5
    hiss = np.random.default_rng(1).normal(0, 1e-4, len(speech)).astype(np.float32)
    mixed = decode(io.BytesIO(wav([hiss, speech, hiss, hiss])), 60)
    assert rms(mixed) == pytest.approx(rms(speech), rel=0.02)


def test_channels_that_all_carry_sound_are_mixed_as_ffmpeg_mixes_them(jfk: Path) -> None:
    speech = samples_of(jfk) * 0.5
    other = speech[::-1].copy()
    mixed = decode(io.BytesIO(wav([speech, other])), 60)
    np.testing.assert_allclose(mixed, (speech + other) / np.sqrt(2), atol=3e-4)  # FFmpeg's stereo to mono


def test_two_speakers_on_two_tracks_are_both_kept(jfk: Path) -> None:
    speech = samples_of(jfk) * 0.5
    half = len(speech) // 2
    left, right = speech.copy(), speech.copy()
    left[half:], right[:half] = 0, 0  # one speaks, then the other
    mixed = decode(io.BytesIO(wav([left, right])), 60)
    assert rms(mixed[:half]) > 0.3 * rms(speech[:half])
    assert rms(mixed[half:]) > 0.3 * rms(speech[half:])
