"""The baseline: faster-whisper used directly, the way its README shows, with nothing around it."""

from __future__ import annotations

import io
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from faster_whisper import BatchedInferencePipeline, WhisperModel

from bench.corpus import Clip
from bench.measure import Result

THREADS = 2
PIPELINE_BATCH = 8
"""faster-whisper's README example for its batched pipeline."""


def _load(model_dir: Path) -> Any:
    return WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=THREADS)


def _transcribe(model: Any, clip: Clip, language: str | None) -> Result:
    """The library's defaults (beam 5, no VAD, temperatures 0-1), given the same WAV bytes as Auricle.

    The clock covers decoding the WAV too, as Auricle's does: transcribe() decodes a file-like itself.
    """
    started = time.perf_counter()
    segments, _info = model.transcribe(io.BytesIO(clip.wav), language=language)
    text = "".join(segment.text for segment in list(segments)).strip()
    return Result(text, time.perf_counter() - started)


class BareWhisper:
    """One model, built and run on a worker thread of its own that lives for the whole run.

    Auricle builds and runs its model on a worker thread too (its ModelRunner); doing the same here keeps
    the thread the model lives on out of the comparison.
    """

    def __init__(self, model_dir: Path, language: str | None) -> None:
        self.language = language
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bare-whisper")
        started = time.perf_counter()
        self._model = self._worker.submit(_load, model_dir).result()
        self.load_seconds = time.perf_counter() - started

    def transcribe(self, clip: Clip) -> Result:
        """On the dedicated worker; the caller waits, so calls are sequential."""
        return self._worker.submit(_transcribe, self._model, clip, self.language).result()

    def transcribe_batched(self, clip: Clip) -> Result:
        """The library's own long-form speed-up, for reference: VAD chunks decoded `PIPELINE_BATCH` at once.

        Unlike the default loop it has no temperature fallback and, by default, one segment per chunk.
        """
        return self._worker.submit(self._batched, clip).result()

    def _batched(self, clip: Clip) -> Result:
        started = time.perf_counter()
        pipeline = BatchedInferencePipeline(self._model)
        segments, _info = pipeline.transcribe(
            io.BytesIO(clip.wav), language=self.language, batch_size=PIPELINE_BATCH
        )
        text = "".join(segment.text for segment in list(segments)).strip()
        return Result(text, time.perf_counter() - started)

    def transcribe_on_caller(self, clip: Clip) -> Result:
        """On the calling thread: N threads calling this share the one model, as a naive app would."""
        return _transcribe(self._model, clip, self.language)

    def close(self) -> None:
        self._worker.submit(self._drop).result()
        self._worker.shutdown(wait=True)

    def _drop(self) -> None:
        # Freed on the thread that built it, so CTranslate2 tears down where it set up.
        self._model = None
