"""Metrics read from the engine and the live seats when Prometheus scrapes, rather than kept up to date.

The counts they read are kept on the event loop's thread, which is also where `/metrics` is answered,
so a scrape sees them as they stand between two steps of the loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client.core import GaugeMetricFamily, Metric

from auricle.engine.registry import ModelRegistry
from auricle.live.seats import Seats


class StateGauges:
    """A prometheus_client collector of the models' queues and load times and the live sessions."""

    def __init__(self, models: Callable[[], ModelRegistry | None], seats: Seats) -> None:
        self._models = models
        """The registry once the app has started (None before: it is built in the lifespan)."""
        self._seats = seats

    def collect(self) -> Iterator[Metric]:
        yield from self._model_gauges()
        yield GaugeMetricFamily(
            "auricle_live_sessions", "Live transcription sessions open now.", value=self._seats.taken
        )
        yield GaugeMetricFamily(
            "auricle_live_sessions_limit",
            "Live sessions served at once; one more is refused with 429 (0: live transcription off).",
            value=self._seats.limit,
        )

    def _model_gauges(self) -> Iterator[Metric]:
        in_progress = GaugeMetricFamily(
            "auricle_requests_in_progress",
            "Transcriptions (file requests, live turns) a model works on now, AURICLE_CONCURRENCY at most.",
            labels=["model"],
        )
        queued = GaugeMetricFamily(
            "auricle_queue_depth",
            "Transcriptions waiting for a place among those a model works on at once.",
            labels=["model"],
        )
        load = GaugeMetricFamily(
            "auricle_model_load_seconds", "How long loading each model took at start-up.", labels=["model"]
        )
        registry = self._models()
        for model_id, runner in (registry.runners if registry is not None else {}).items():
            running = min(runner.in_flight, runner.concurrency)
            in_progress.add_metric([model_id], running)
            queued.add_metric([model_id], runner.in_flight - running)
            if runner.load_seconds is not None:
                load.add_metric([model_id], runner.load_seconds)
        yield from (in_progress, queued, load)
