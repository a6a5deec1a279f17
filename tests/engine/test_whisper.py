"""The faster-whisper model on real speech: segments, words, and stopping at a window boundary."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from auricle.audio.decode import decode
from auricle.engine.bundled import tiny_en_dir
from auricle.engine.options import DecodeOptions
from auricle.engine.protocol import Cancelled
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
