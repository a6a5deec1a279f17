"""The engine's real models, shared by the tests of one module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from auricle.engine.bundled import base_dir, tiny_en_dir
from auricle.engine.whisper import FasterWhisperModel, WhisperConfig


@pytest.fixture(scope="module")
def tiny() -> Iterator[FasterWhisperModel]:
    model = FasterWhisperModel(tiny_en_dir(), WhisperConfig(workers=2))
    yield model
    model.close()


@pytest.fixture(scope="module")
def base(model_cache: Path) -> Iterator[FasterWhisperModel]:
    model = FasterWhisperModel(base_dir(model_cache), WhisperConfig(workers=2))
    yield model
    model.close()
