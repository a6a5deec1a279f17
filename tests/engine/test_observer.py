"""What the engine tells its observer: each request's model, transcription and batch, and load times."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from auricle.config import Settings
from auricle.engine.batcher import GenerateBatcher
from auricle.engine.observer import BatchCallback, ReportsBatches, Transcribed
from auricle.engine.options import DecodeOptions
from auricle.engine.runner import ModelRunner
from auricle.errors import NotFound
from tests.fakes import FakeModel, fake_registry_factory

pytestmark = pytest.mark.anyio
TWO_SECONDS = np.zeros(32000, dtype=np.float32)


class Recorder:
    """An `engine.observer.Observer` that keeps what it is told."""

    def __init__(self) -> None:
        self.models: list[str] = []
        self.done: list[Transcribed] = []
        self.batches: list[tuple[str, int]] = []

    def requested(self, model_id: str) -> None:
        self.models.append(model_id)

    def transcribed(self, done: Transcribed) -> None:
        self.done.append(done)

    def batched(self, model_id: str, size: int) -> None:
        self.batches.append((model_id, size))


class BatchingModel(FakeModel):
    """A fake that batches, as `FasterWhisperModel` does: it reports a batch of 3 for each transcription."""

    def __init__(self) -> None:
        super().__init__()
        self.report: BatchCallback | None = None

    def report_batches(self, callback: BatchCallback) -> None:
        self.report = callback

    def transcribe(self, *args: Any, **kwargs: Any) -> Any:
        if self.report is not None:
            self.report(3)
        return super().transcribe(*args, **kwargs)


async def test_the_runner_reports_each_transcription_and_batch() -> None:
    model = BatchingModel()
    assert isinstance(model, ReportsBatches)
    runner = ModelRunner("base", lambda: model, concurrency=1)
    try:
        observer = Recorder()
        runner.wait_loaded()
        runner.observer = observer  # set after the model was built, as the app does
        await runner.transcribe(lambda: TWO_SECONDS, DecodeOptions(task="translate"))
        await runner.transcribe(lambda: TWO_SECONDS, DecodeOptions(draft=True))
    finally:
        runner.close()
    final, partial = observer.done
    assert (final.model_id, final.task, final.draft, final.audio_seconds) == ("base", "translate", False, 2.0)
    assert partial.draft
    assert final.processing_seconds >= 0
    assert observer.batches == [("base", 3), ("base", 3)]
    assert runner.load_seconds is not None


async def test_the_registry_reports_the_model_a_request_named() -> None:
    registry = fake_registry_factory()(Settings())
    observer = Recorder()
    registry.observe(observer)
    try:
        async with registry.admit("whisper-1", DecodeOptions()):
            pass
        with pytest.raises(NotFound):
            async with registry.admit("made-up", DecodeOptions()):
                pass
    finally:
        registry.close()
    assert observer.models == ["base"]  # the alias resolved; the unknown name never told


def test_the_batcher_tells_each_batch_size() -> None:
    sizes: list[int] = []
    release = threading.Event()

    def generate(encoder_output: Any, prompts: Any, **options: Any) -> list[Any]:
        release.wait(5)
        return [None] * len(prompts)

    batcher = GenerateBatcher(generate, workers=1, max_batch=8, wait_seconds=0.0, sot_token=1)
    batcher.on_batch = sizes.append
    try:
        window = np.zeros((1, 4, 2), dtype=np.float32)
        release.set()
        batcher.generate(window, [[1, 2]])
    finally:
        batcher.close()
    assert sizes == [1]
