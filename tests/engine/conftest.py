"""The engine's real models, shared by the tests of one module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from auricle.engine.bundled import tiny_en_dir
from auricle.engine.whisper import FasterWhisperModel, WhisperConfig


@pytest.fixture(scope="module")
def tiny() -> Iterator[FasterWhisperModel]:
    model = FasterWhisperModel(tiny_en_dir(), WhisperConfig(workers=2))
    yield model
    model.close()
