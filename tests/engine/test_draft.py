"""A live turn's partial transcript, on real speech (`engine/draft.py`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from auricle.engine.options import DecodeOptions
from auricle.engine.whisper import FasterWhisperModel
from tests.conftest import JFK_TEXT
from tests.support.speech import samples_of
from tests.support.text import word_error_rate

pytestmark = pytest.mark.model


def test_a_draft_reads_the_turn_so_far(tiny: FasterWhisperModel, jfk: Path) -> None:
    audio = samples_of(jfk)
    drafts = [
        tiny.transcribe(audio[: seconds * 16_000], DecodeOptions(draft=True), lambda: False)
        for seconds in (3, 11)
    ]
    assert drafts[0].text.lower().startswith("and so my fellow")
    assert word_error_rate([JFK_TEXT], [drafts[1].text]) < 0.15
    assert all(segment.temperature == 0.0 for draft in drafts for segment in draft.segments)
    assert drafts[1].duration == pytest.approx(11.0)


def test_a_draft_of_silence_is_empty(tiny: FasterWhisperModel) -> None:
    assert tiny.transcribe(np.zeros(16_000, np.float32), DecodeOptions(draft=True), lambda: False).text == ""


def test_a_short_turn_takes_the_language_heard_before_it(jfk: Path, base: FasterWhisperModel) -> None:
    """A live session's earlier turns settle the language of one too short to be sure of its own."""
    turn = samples_of(jfk)[: 3 * 16_000]
    alone = base.transcribe(turn, DecodeOptions(), lambda: False)
    after_german = base.transcribe(turn, DecodeOptions(heard_before=(("de", 60.0),)), lambda: False)
    assert alone.language == "en"
    assert after_german.language == "de"
    assert {segment.language for segment in after_german.segments} == {"de"}
