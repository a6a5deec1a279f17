from __future__ import annotations

import warnings

import numpy as np
import pytest

from auricle.audio.pcm import PcmFormat, PcmStream, _a_law_table, _mu_law_table


def _reference_g711() -> tuple[np.ndarray, np.ndarray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop  # the standard library's G.711, deprecated but exact

    every_byte = bytes(range(256))
    mu = np.frombuffer(audioop.ulaw2lin(every_byte, 2), dtype="<i2")
    a = np.frombuffer(audioop.alaw2lin(every_byte, 2), dtype="<i2")
    return mu, a


def test_g711_tables_match_the_standard_library() -> None:
    mu, a = _reference_g711()
    np.testing.assert_array_equal(_mu_law_table(), mu)
    np.testing.assert_array_equal(_a_law_table(), a)


def _tone(rate: int, seconds: float) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2").tobytes()


@pytest.mark.parametrize("piece", [1, 777, 4800, 10**6])
def test_pieces_of_any_size_resample_as_the_whole(piece: int) -> None:
    audio = _tone(24_000, 2.0)
    whole = PcmStream(PcmFormat())
    expected = np.concatenate([whole.feed(audio), whole.flush()])
    stream = PcmStream(PcmFormat())
    got = np.concatenate(
        [stream.feed(audio[offset : offset + piece]) for offset in range(0, len(audio), piece)]
        + [stream.flush()]
    )
    assert len(expected) == 32_000
    np.testing.assert_array_equal(got, expected)


def test_24_khz_is_read_as_24_khz() -> None:
    """speaches once read 24 kHz as 16 kHz: a second of audio must stay a second."""
    stream = PcmStream(PcmFormat("audio/pcm", 24_000))
    samples = np.concatenate([stream.feed(_tone(24_000, 1.0)), stream.flush()])
    assert len(samples) == 16_000
    crossings = np.count_nonzero(np.diff(np.signbit(samples[100:-100])))
    assert crossings == pytest.approx(2 * 440 * (len(samples) - 200) / 16_000, rel=0.02)


def test_g711_is_8_khz() -> None:
    stream = PcmStream(PcmFormat.of("audio/pcmu"))
    assert len(np.concatenate([stream.feed(bytes([0xFF]) * 8_000), stream.flush()])) == 16_000
    assert PcmFormat.of("audio/pcma", 24_000).rate == 8_000
