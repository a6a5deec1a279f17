"""Quiet audio brought up before it is heard; ordinary and silent audio left exactly as it is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from auricle.engine.level import QUIET_BELOW_DBFS, SILENT_BELOW_DBFS, TARGET_DBFS, brought_up, level_dbfs
from auricle.engine.protocol import SAMPLE_RATE
from tests.support.speech import samples_of


def tone(dbfs: float, seconds: float = 1.0) -> np.ndarray:
    """A sine whose RMS is `dbfs` (a sine's peak is 3 dB over its RMS)."""
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    wave: np.ndarray = (np.sqrt(2) * 10 ** (dbfs / 20) * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return wave


@pytest.mark.parametrize("dbfs", [-60.0, -40.0, -20.0, -6.0])
def test_the_level_is_the_rms_of_the_loudest_50_ms(dbfs: float) -> None:
    quiet_then_loud = np.concatenate([tone(dbfs - 30), tone(dbfs, 0.2)])
    assert level_dbfs(quiet_then_loud) == pytest.approx(dbfs, abs=0.1)


def test_a_clip_shorter_than_a_frame_has_a_level() -> None:
    assert level_dbfs(tone(-20.0, 0.02)) == pytest.approx(-20.0, abs=0.5)
    assert level_dbfs(np.zeros(0, dtype=np.float32)) < SILENT_BELOW_DBFS


def test_quiet_speech_is_brought_up_to_the_target(jfk: Path) -> None:
    speech = samples_of(jfk)
    quiet = (speech * 0.01).astype(np.float32)
    louder = brought_up(quiet)
    assert level_dbfs(louder) == pytest.approx(TARGET_DBFS, abs=0.1)
    # The same speech at any quiet level comes out the same.
    np.testing.assert_allclose(brought_up((speech * 0.03).astype(np.float32)), louder, atol=1e-4)


@pytest.mark.parametrize("dbfs", [QUIET_BELOW_DBFS + 0.5, -12.0, 0.0, SILENT_BELOW_DBFS - 5])
def test_ordinary_loud_and_silent_audio_is_untouched(dbfs: float) -> None:
    audio = tone(dbfs)
    assert brought_up(audio) is audio


def test_nothing_is_pushed_past_full_scale() -> None:
    click_free = np.concatenate([tone(-40.0), np.full(10, 0.05, dtype=np.float32)])
    assert float(np.abs(brought_up(click_free)).max()) <= 1.0
