"""Runs one model on threads of its own, so inference never blocks the event loop.

The model is built on a worker thread too, never on the event loop's: loading takes seconds, and a
model built and run off the main thread was reported faster on one machine (1.5x; on this project's
AVX-512 machine, jfk.flac on base took the same 1.6 s either way, so the cause is still open).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Protocol

from auricle.engine.memory import release_freed_memory
from auricle.engine.observer import Observer, ReportsBatches, Transcribed
from auricle.engine.options import DecodeOptions
from auricle.engine.protocol import Cancelled, Samples, SpeechModel
from auricle.engine.transcript import Segment, Transcript


class Progress(Protocol):
    """Told, on the worker's threads, how a request is getting on: what a stream is made of."""

    def started(self) -> None:
        """The audio is decoded and recognition begins: from here on, what fails is the recognition."""

    def final(self, segments: Sequence[Segment]) -> None:
        """Segments whose text is final, in order (`protocol.FinalSegments`)."""


class ModelRunner:
    def __init__(self, model_id: str, build: Callable[[], SpeechModel], concurrency: int) -> None:
        self.model_id = model_id
        self.concurrency = concurrency
        self._executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=f"auricle-{model_id}")
        self.observer: Observer | None = None
        """Told of every transcription and batch (`ModelRegistry.observe`)."""
        self.load_seconds: float | None = None
        """How long building the model took, once it is built."""
        self._loaded: Future[SpeechModel] = self._executor.submit(self._build, build)
        self.in_flight = 0
        """Requests submitted and not yet finished (counted on the event loop's thread)."""

    def _build(self, build: Callable[[], SpeechModel]) -> SpeechModel:
        started = time.perf_counter()
        model = build()
        self.load_seconds = time.perf_counter() - started
        if isinstance(model, ReportsBatches):
            model.report_batches(self._batched)
        return model

    def _batched(self, size: int) -> None:
        # Read at each batch, so an observer set after the model was built is still told.
        if self.observer is not None:
            self.observer.batched(self.model_id, size)

    def wait_loaded(self, timeout: float | None = None) -> SpeechModel:
        """Block until the model is built; re-raises whatever building it raised."""
        return self._loaded.result(timeout)

    @property
    def ready(self) -> bool:
        return self._loaded.done() and self._loaded.exception() is None

    @property
    def multilingual(self) -> bool:
        return self.wait_loaded().multilingual

    async def transcribe(
        self, audio: Callable[[], Samples], options: DecodeOptions, progress: Progress | None = None
    ) -> Transcript:
        """Decodes `audio` on a worker, right before its inference, then transcribes it.

        Decoding there rather than on arrival keeps only `concurrency` decoded uploads in memory, however many
        wait: four hours of audio is 0.9 GB as float32 samples.
        """
        model = self.wait_loaded()
        stop = threading.Event()
        loop = asyncio.get_running_loop()
        work = partial(_decode_and_transcribe, model, audio, options, stop.is_set, progress)
        job = loop.run_in_executor(self._executor, work)
        self.in_flight += 1
        try:
            transcript, seconds = await job
        finally:
            self.in_flight -= 1
            # On cancellation (the client went away) a queued job is dropped and a running one stops
            # at its next window.
            stop.set()
        if self.observer is not None:
            audio_seconds = transcript.duration
            done = Transcribed(self.model_id, options.task, options.draft, audio_seconds, seconds)
            self.observer.transcribed(done)
        return transcript

    def close(self) -> None:
        """Unload: finish the running job, drop queued ones, and give the model's memory back."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        if self.ready:
            self._loaded.result().close()
        self._loaded = _unloaded(self.model_id)
        release_freed_memory()


def _decode_and_transcribe(
    model: SpeechModel,
    audio: Callable[[], Samples],
    options: DecodeOptions,
    should_stop: Callable[[], bool],
    progress: Progress | None,
) -> tuple[Transcript, float]:
    """The transcript, and the seconds the worker spent on it."""
    started = time.perf_counter()
    samples = audio()
    if should_stop():
        raise Cancelled
    if progress is None:
        transcript = model.transcribe(samples, options, should_stop)
    else:
        progress.started()
        transcript = model.transcribe(samples, options, should_stop, progress.final)
    return transcript, time.perf_counter() - started


def _unloaded(model_id: str) -> Future[SpeechModel]:
    future: Future[SpeechModel] = Future()
    future.set_exception(RuntimeError(f"model {model_id!r} has been unloaded"))
    return future
