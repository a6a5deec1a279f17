"""What the engine tells whoever watches it (the service's metrics and access log), without knowing who.

The engine stays free of any metrics library: the API layer implements `Observer` and hands it to the
registry (`ModelRegistry.observe`), which passes it on to its runners.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from auricle.engine.transcript import Task


@dataclass(frozen=True, slots=True)
class Transcribed:
    """One transcription finished: a file request, a live turn, or a live turn's partial (`draft`)."""

    model_id: str
    task: Task
    draft: bool
    audio_seconds: float
    processing_seconds: float
    """Time on the model's worker: decoding the audio and recognising it, never the wait for a worker."""


class Observer(Protocol):
    def requested(self, model_id: str) -> None:
        """A request named this configured model (an alias already resolved), before its admission.

        Told on the event loop, in the request's own context, so it can be tied to that request."""

    def transcribed(self, done: Transcribed) -> None:
        """Told on the event loop, in the context of whoever awaited the transcription."""

    def batched(self, model_id: str, size: int) -> None:
        """`size` windows were decoded in one batch; told on the model's worker threads."""


BatchCallback = Callable[[int], None]


@runtime_checkable
class ReportsBatches(Protocol):
    """A model that batches windows across requests (`whisper.py`) and can say how large each batch was."""

    def report_batches(self, callback: BatchCallback) -> None: ...
