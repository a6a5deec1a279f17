"""Short windows are encoded at their own length plus a margin, with the transcript unchanged."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from bench.accuracy import manifest
from faster_whisper.audio import pad_or_trim
from faster_whisper.feature_extractor import FeatureExtractor

from auricle.engine.bundled import base_dir, tiny_en_dir
from auricle.engine.options import DecodeOptions
from auricle.engine.spoken_language import UNCLEAR
from auricle.engine.whisper import FasterWhisperModel, WhisperConfig
from auricle.engine.window import WindowedWhisperModel, content_frames, trimmed, window_lengths
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


def test_a_short_window_is_no_shorter_than_the_shortest_allowed() -> None:
    features = padded_features(1.0)
    lengths = window_lengths()
    short = trimmed(features, margin_frames=300, lengths=lengths, shortest_frames=1500)
    assert short.shape[-1] == min(length for length in lengths if length >= 1500)
    longer = trimmed(padded_features(20.0), margin_frames=300, lengths=lengths, shortest_frames=1500)
    assert longer.shape[-1] == min(length for length in lengths if length >= 2300)


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


class CountingEncoder:
    """A CTranslate2 Whisper that records its encoder passes' lengths and its decodes' temperatures and
    tokens written."""

    def __init__(self, model: object) -> None:
        self._model = model
        self.encoded: list[int] = []
        self.temperatures: list[float] = []
        self.written: list[int] = []

    def encode(self, features: object, **options: object) -> object:
        self.encoded.append(int(getattr(features, "shape")[-1]))  # noqa: B009
        return getattr(self._model, "encode")(features, **options)  # noqa: B009

    def generate(self, *arguments: object, **options: object) -> object:
        self.temperatures.append(float(options.get("sampling_temperature", 0.0)))  # type: ignore[arg-type]
        results = getattr(self._model, "generate")(*arguments, **options)  # noqa: B009
        self.written.append(len(results[0].sequences_ids[0]))
        return results

    def __getattr__(self, name: str) -> object:
        return getattr(self._model, name)


@contextmanager
def counted(model: WindowedWhisperModel) -> Iterator[CountingEncoder]:
    """`model` with its CTranslate2 Whisper counted for as long as the block runs."""
    counting = CountingEncoder(model.model)
    model.model = counting
    try:
        yield counting
    finally:
        model.model = counting._model


@pytest.fixture(scope="module")
def base(model_cache: Path) -> WindowedWhisperModel:
    return WindowedWhisperModel(
        str(base_dir(model_cache)), compute_type="int8", margin_seconds=3.0, keep_unfinished_endings=True
    )


@pytest.mark.model
def test_detecting_a_windows_language_costs_no_second_encoder_pass(
    base: WindowedWhisperModel, jfk: Path
) -> None:
    with counted(base) as counting:
        language, probability = base.detect(samples_of(jfk))
        segments, _ = base.transcribe(samples_of(jfk), language=language)
        text = "".join(segment.text for segment in segments)
    assert (language, probability > 0.9) == ("en", True)
    assert word_error_rate([JFK_TEXT], [text]) <= 0.05
    assert len(counting.encoded) == 1  # one 11 s window: encoded once, read twice
    assert counting.encoded[0] < 3000


@pytest.mark.model
def test_a_short_window_that_loops_is_decoded_again_at_full_length(base: WindowedWhisperModel) -> None:
    # "press 3 for advanced options" (2.5 s, 8 kHz telephone speech) looped on its short window alone.
    prompt = manifest.default_corpus() / "asterisk-core-sounds/en_US_f_Allison/vm-advopts.wav"
    with counted(base) as counting:
        segments, _ = base.transcribe(samples_of(prompt), language="en", beam_size=5)
        text = "".join(segment.text for segment in segments)
    assert word_error_rate(["press 3 for advanced options"], [text]) == 0.0
    assert all(segment.end <= 2.5 for segment in segments)
    # The short encoder pass read wrong, so the window was encoded again at the full 30 s.
    assert counting.encoded[0] < 3000
    assert counting.encoded[-1] == 3000


@pytest.mark.model
def test_an_unclear_guess_on_a_short_window_is_made_again_on_the_full_one(
    base: WindowedWhisperModel,
) -> None:
    # "nine", 0.39 s (fsdd): Korean at 0.20 on its short window, English at 0.83 on the full 30 s.
    digit = manifest.default_corpus() / "fsdd/9_theo_11.wav"
    with counted(base) as counting:
        hasty = base.detect(samples_of(digit))
        language, probability = base.detect(samples_of(digit), unclear_below=0.5)
        segments, _ = base.transcribe(samples_of(digit), language=language, beam_size=5)
        text = "".join(segment.text for segment in segments)
    assert hasty[0] != "en"
    assert hasty[1] < 0.5
    assert (language, probability > 0.5) == ("en", True)
    assert word_error_rate(["nine"], [text]) == 0.0
    # One short pass (kept between the two guesses), one full one, and that one was decoded.
    assert counting.encoded[0] < 3000
    assert counting.encoded[1:] == [3000]


@pytest.mark.model
def test_a_menu_that_compresses_well_is_not_decoded_again_hotter(base: WindowedWhisperModel) -> None:
    # 26 s of a Russian phone menu ("Нажмите 1, чтобы ..., 2 - чтобы ..."): every word right at
    # temperature 0, but its text compresses 2.4-2.5 times, past Whisper's limit for a loop.
    menu = manifest.default_corpus() / "asterisk-core-sounds/ru_RU_f_IvrvoiceRU/conf-adminmenu-162.wav"
    with counted(base) as counting:
        segments, _ = base.transcribe(samples_of(menu), language="ru", beam_size=5)
        text = "".join(segment.text for segment in segments)
    assert counting.temperatures == [0.0]
    assert "конференц" in text


@pytest.mark.model
def test_a_window_read_unsure_without_a_loop_is_not_sampled_hotter(base: WindowedWhisperModel) -> None:
    # "Deze vis ziet er vagelijk bekend uit." (3.5 s of Dutch): read as Portuguese at -1.4, and every
    # hotter sample was less sure still; faster-whisper decodes it six times.
    line = manifest.default_corpus() / "fillets-ng/barrel/nl/bar-m-rybka.ogg"
    with counted(base) as counting:
        segments, _ = base.transcribe(samples_of(line), beam_size=5)
        found = list(segments)
    assert counting.temperatures in ([0.0], [0.0, 0.0])  # the short window, then the full one
    # Given up as failed at every temperature, so that `trust.py` drops it.
    assert all(segment.temperature == 1.0 and segment.avg_logprob < -1.0 for segment in found)


@pytest.mark.model
def test_a_window_that_loops_hotter_too_stops_each_sample_at_what_its_audio_could_hold(
    base: WindowedWhisperModel,
) -> None:
    # "Dit zouden die lui van Three Mile Island moeten zien, zeg." (3.5 s): loops at 0, and its samples
    # looped to 224 tokens at 0.2-0.6 (4.4-6.2 s a decode, bench.fallback) before it was given up.
    line = manifest.default_corpus() / "fillets-ng/barrel/nl/bar-m-videt1.ogg"
    with counted(base) as counting:
        language, _ = base.detect(samples_of(line), unclear_below=UNCLEAR)  # as a lone span is guessed
        segments, _ = base.transcribe(samples_of(line), language=language, beam_size=5)
        list(segments)
    assert counting.encoded[-1] == 3000
    assert counting.temperatures[0] == 0.0
    assert counting.written[0] == 224  # beam search at 0 is never capped
    sampled = counting.written[1:]
    assert sampled
    assert max(sampled) <= 108


def test_a_window_too_long_to_be_short_is_encoded_whole() -> None:
    full = 3000
    lengths = [length for length in window_lengths(full) if length <= 1600 or length == full]
    assert max(length for length in lengths if length < full) == 1536
    assert trimmed(padded_features(14.0), margin_frames=300, lengths=lengths).shape[-1] == full
    assert trimmed(padded_features(11.0), margin_frames=300, lengths=lengths).shape[-1] == 1536
