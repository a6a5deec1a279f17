"""Word error rate of the default model on the LibriVox sentences of Debian's pocketsphinx-testdata."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import openai
import pytest

from tests.conftest import LIBRIVOX_DIR
from tests.support.text import normalize, word_error_rate

pytestmark = [pytest.mark.anyio, pytest.mark.model]

MAX_WER = 0.05


def librivox_references() -> dict[Path, str]:
    """`<s> words </s> (utterance-id)` lines of the `transcription` file, by audio path."""
    references = {}
    for line in (LIBRIVOX_DIR / "transcription").read_text().splitlines():
        match = re.match(r"<s>\s*(?P<text>.*?)\s*</s>\s*\((?P<id>[^)]+)\)", line)
        if match:
            references[LIBRIVOX_DIR / f"{match['id']}.wav"] = match["text"]
    return references


# Skipped only on a developer's machine without the data; in CI a missing install must fail loudly.
@pytest.mark.skipif(
    not LIBRIVOX_DIR.is_dir() and not os.environ.get("CI"),
    reason="apt-get install pocketsphinx-testdata (scripts/test does)",
)
async def test_default_model_wer_on_librivox(
    sdk: openai.AsyncOpenAI, record_figure: Callable[[str], None]
) -> None:
    references = librivox_references()
    assert len(references) == 5
    hypotheses = [
        (await sdk.audio.transcriptions.create(model="whisper-1", file=path, language="en")).text
        for path in references
    ]
    wer = word_error_rate(list(references.values()), hypotheses)
    record_figure(f"LibriVox WER of the default model: {wer:.2%} over {len(references)} utterances")
    for reference, hypothesis in zip(references.values(), hypotheses, strict=True):
        if normalize(reference) != normalize(hypothesis):
            record_figure(f"  ref: {reference}\n  hyp: {hypothesis}")
    assert wer <= MAX_WER
