"""Short windows are encoded at their own length plus a margin, with the transcript unchanged."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from faster_whisper.audio import pad_or_trim
from faster_whisper.feature_extractor import FeatureExtractor

from auricle.engine.bundled import tiny_en_dir
from auricle.engine.options import DecodeOptions
from auricle.engine.whisper import FasterWhisperModel, WhisperConfig
from auricle.engine.window import content_frames, trimmed, window_lengths
from tests.conftest import JFK_TEXT
from tests.e2e.test_accuracy import librivox_references
from tests.support.speech import samples_of
from tests.support.text import word_error_rate


def padded_features(seconds: float) -> np.ndarray:
    rng = np.random.default_rng(1)
    samples = rng.uniform(-0.5, 0.5, int(seconds * 16000)).astype(np.float32)
    features: np.ndarray = pad_or_trim(FeatureExtractor()(samples)[..., :-1])
    return features


def test_content_ends_where_the_zero_padding_starts() -> None:
    features = padded_features(4.0)
    assert features.shape[-1] == 3000
    assert content_frames(features) == 400


def test_window_lengths_climb_by_a_quarter_to_the_full_window_in_even_frames() -> None:
    lengths = window_lengths()
    assert lengths[-1] == 3000
    assert lengths[0] <= 200
    assert all(length % 2 == 0 for length in lengths)
    assert all(1.2 <= longer / shorter <= 1.3 for shorter, longer in itertools.pairwise(lengths))


def test_trimmed_keeps_content_and_margin_up_to_the_next_length() -> None:
    features = padded_features(4.0)
    lengths = window_lengths()
    short = trimmed(features, margin_frames=301, lengths=lengths)  # 701 frames wanted
    assert short.shape[-1] == min(length for length in lengths if length >= 701)
    assert np.array_equal(short, features[..., : short.shape[-1]])


def test_a_window_whose_content_and_margin_exceed_the_last_step_is_left_whole() -> None:
    features = padded_features(25.0)
    assert trimmed(features, margin_frames=300, lengths=window_lengths()).shape[-1] == 3000


def test_digital_silence_is_content_too() -> None:
    # Silence is a real log-mel value, not the zero padding; it must not be cut away.
    features = pad_or_trim(FeatureExtractor()(np.zeros(32000, dtype=np.float32))[..., :-1])
    assert content_frames(features) == 200


@pytest.mark.model
def test_short_windows_keep_the_accuracy_of_full_ones(jfk: Path) -> None:
    references = {**librivox_references(), jfk: JFK_TEXT}
    error_rates = {}
    for margin in (None, 3.0):
        model = FasterWhisperModel(tiny_en_dir(), WhisperConfig(window_margin_seconds=margin))
        transcripts = [
            model.transcribe(samples_of(path), DecodeOptions(word_timestamps=True), lambda: False)
            for path in references
        ]
        assert all(t.words[-1].end <= t.duration + 0.5 for t in transcripts)
        error_rates[margin] = word_error_rate(list(references.values()), [t.text for t in transcripts])
    # One word in the 95 of these references is about 0.011; the benchmark measures base on more clips.
    assert error_rates[3.0] <= error_rates[None] + 0.02
