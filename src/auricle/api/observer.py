"""The engine's `Observer` on the API's side: news of a model at work, put on its request and metrics."""

from __future__ import annotations

from auricle.api.context import current_request
from auricle.api.metrics import Metrics
from auricle.engine.observer import Transcribed


class RequestObserver:
    """Ties what the engine reports to the request being served (for its access line) and counts it.

    The engine reports in the context of whoever awaited it: an HTTP request's (its `RequestFacts` are
    current), or a live session's, which has none and is only counted.
    """

    def __init__(self, metrics: Metrics | None) -> None:
        self._metrics = metrics

    def requested(self, model_id: str) -> None:
        facts = current_request()
        if facts is not None:
            facts.model = model_id

    def transcribed(self, done: Transcribed) -> None:
        facts = current_request()
        if facts is not None and not done.draft:
            facts.audio_seconds += done.audio_seconds
        if self._metrics is not None:
            self._metrics.transcribed(done)

    def batched(self, model_id: str, size: int) -> None:
        if self._metrics is not None:
            self._metrics.batched(model_id, size)
