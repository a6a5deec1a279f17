"""The faster-whisper model on real speech: segments, words, and stopping at a window boundary."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from auricle.audio.decode import decode
from auricle.engine.bundled import tiny_en_dir
from auricle.engine.options import DecodeOptions
from auricle.engine.protocol import SAMPLE_RATE, Cancelled, Samples
from auricle.engine.whisper import FasterWhisperModel, WhisperConfig
from tests.conftest import JFK_TEXT
from tests.support.text import normalize

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def tiny() -> FasterWhisperModel:
    return FasterWhisperModel(tiny_en_dir(), WhisperConfig(cpu_threads=2))


def test_segments_and_words_on_real_speech(tiny: FasterWhisperModel, jfk: Path) -> None:
    samples = decode(io.BytesIO(jfk.read_bytes()), 60)
    transcript = tiny.transcribe(samples, DecodeOptions(word_timestamps=True), lambda: False)
    assert not tiny.multilingual
    assert transcript.language == "en"
    assert transcript.duration == pytest.approx(11.0, abs=0.01)
    assert normalize(transcript.text) == normalize(JFK_TEXT)
    assert [segment.id for segment in transcript.segments] == list(range(len(transcript.segments)))
    words = transcript.words
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert all(0 <= w.start <= w.end <= transcript.duration for w in words)


def test_stops_when_asked(tiny: FasterWhisperModel, multilingual: Path) -> None:
    samples = decode(io.BytesIO(multilingual.read_bytes()), 600)
    with pytest.raises(Cancelled):
        tiny.transcribe(samples, DecodeOptions(), lambda: True)


NOISE = np.random.default_rng(7).uniform(-0.9, 0.9, 5 * SAMPLE_RATE).astype(np.float32)


@pytest.mark.parametrize(
    "samples", [np.zeros(5 * SAMPLE_RATE, dtype=np.float32), NOISE], ids=["digital-silence", "loud-noise"]
)
def test_silence_and_noise_give_no_invented_text(tiny: FasterWhisperModel, samples: Samples) -> None:
    transcript = tiny.transcribe(samples, DecodeOptions(), lambda: False)
    assert transcript.segments == ()
    assert transcript.text == ""
    assert transcript.duration == pytest.approx(5.0)


def test_speech_after_silence_keeps_its_place_in_time(tiny: FasterWhisperModel, jfk: Path) -> None:
    speech = decode(io.BytesIO(jfk.read_bytes()), 60)
    samples = np.concatenate([np.zeros(20 * SAMPLE_RATE, dtype=np.float32), speech])
    transcript = tiny.transcribe(samples, DecodeOptions(word_timestamps=True), lambda: False)
    assert normalize(transcript.text) == normalize(JFK_TEXT)
    # VAD cut the silence out; the timestamps must still be those of the original audio.
    assert 19.5 <= transcript.segments[0].start <= 21.0
    assert transcript.words[-1].end == pytest.approx(31.0, abs=1.0)
