"""A decode's token limit, as CTranslate2's Whisper applies it, and the cap on a short window's samples."""

from __future__ import annotations

from pathlib import Path

import ctranslate2
import numpy as np
import pytest
from faster_whisper.audio import pad_or_trim
from faster_whisper.feature_extractor import FeatureExtractor

from auricle.engine.bundled import base_dir
from auricle.engine.runaway import decode_cap
from auricle.engine.token_limit import NATURAL_LIMIT, longest_output, max_new_tokens_for, token_cap
from auricle.engine.window import window_lengths

START = [50258, 50271, 50359]  # start of transcript, Dutch, transcribe
END_OF_TEXT = 50257


@pytest.mark.model
@pytest.mark.parametrize(
    ("previous", "max_new_tokens"), [(0, None), (0, 108), (0, 297), (61, 47), (151, 146)]
)
def test_ctranslate2_writes_no_more_than_the_limit_said(
    model_cache: Path, previous: int, max_new_tokens: int | None
) -> None:
    # Hot samples with the end of text suppressed run to the limit, wherever it is.
    whisper = ctranslate2.models.Whisper(str(base_dir(model_cache)), compute_type="int8")
    noise = np.random.default_rng(3).uniform(-0.3, 0.3, 3 * 16_000).astype(np.float32)
    features = pad_or_trim(FeatureExtractor()(noise)[..., :-1])
    encoded = whisper.encode(ctranslate2.StorageView.from_array(features[np.newaxis]))
    prompt = ([50361, *range(1000, 1000 + previous)] if previous else []) + START
    max_length = 448 if max_new_tokens is None else len(prompt) + max_new_tokens
    result = whisper.generate(
        encoded,
        [prompt],
        beam_size=1,
        num_hypotheses=3,
        sampling_topk=0,
        sampling_temperature=3.0,
        max_length=max_length,
        suppress_tokens=[END_OF_TEXT],
    )[0]
    limit = longest_output(len(prompt), max_new_tokens)
    assert [len(sequence) for sequence in result.sequences_ids] == [limit] * 3


@pytest.mark.parametrize("tokens", [10, 55, 108, 191])
@pytest.mark.parametrize("prompt_tokens", [3, 40, 150])
def test_asking_for_a_cap_gets_exactly_that_many_tokens(tokens: int, prompt_tokens: int) -> None:
    assert longest_output(prompt_tokens, max_new_tokens_for(tokens, prompt_tokens)) == tokens


def test_a_short_windows_samples_are_capped_by_its_content_rounded_up_to_a_window_length() -> None:
    lengths = window_lengths()
    # 3.49 s of Dutch (bar-m-videt1) lies in the 4.02 s step: what 4.02 s could hold.
    assert token_cap(349, lengths, prompt_tokens=3) == decode_cap(4.02) == 108
    assert token_cap(330, lengths, prompt_tokens=3) == token_cap(402, lengths, prompt_tokens=3)


def test_no_cap_where_it_would_save_nothing_or_not_fit_beside_the_prompt() -> None:
    lengths = window_lengths()
    assert decode_cap(9.82) >= NATURAL_LIMIT
    assert token_cap(900, lengths, prompt_tokens=3) is None  # 9 s could hold more than a decode writes
    assert token_cap(2900, lengths, prompt_tokens=3) is None
    assert token_cap(349, lengths, prompt_tokens=350) is None
