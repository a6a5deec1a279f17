"""The service's Prometheus metrics: each app has its own registry, so tests can build many apps.

Label values come only from the service itself: route templates (`/v1/models/{model_id}`, never the
path a client sent; `other` for a path no route matches), the known HTTP methods, status codes, and
configured model ids. A model name that a client made up, a transcript, a prompt, a file name or a key
never becomes a label. README.md ("Metrics and logs") lists every metric.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Histogram, Info, generate_latest
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from auricle import __version__
from auricle.api.gauges import StateGauges
from auricle.engine.observer import Transcribed
from auricle.engine.registry import ModelRegistry
from auricle.live.seats import Seats

NO_MODEL = "none"
"""The `model` of a request that named no configured model (a 401, a 404 for an unknown one, /health)."""
PARTIAL = "partial"
"""The `task` of a live turn's partial decodes, which decode the same audio again as it grows."""

# From a /health probe (milliseconds) to hours of audio (the request time limit is an hour).
REQUEST_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)
# Processing seconds per second of audio: base on 2 CPU cores runs long recordings at about 0.07 (15x
# real time) and short clips slower; above 1 a model falls behind live speech.
RTF_BUCKETS = (0.02, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5)
BATCH_BUCKETS = (1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 32, 48, 64)


class Metrics:
    """Every metric of one app; `exposition()` is what `/metrics` answers."""

    def __init__(self, models: Callable[[], ModelRegistry | None], seats: Seats) -> None:
        self.registry = CollectorRegistry()
        self._requests = Counter(
            "auricle_requests",
            "HTTP requests answered, by route template, method, status and model.",
            ["route", "method", "status", "model"],
            registry=self.registry,
        )
        self._request_seconds = Histogram(
            "auricle_request_duration_seconds",
            "Time from a request's arrival to the end of its answer (a stream's last event).",
            ["route", "model"],
            buckets=REQUEST_BUCKETS,
            registry=self.registry,
        )
        self._define_engine_metrics()
        Info("auricle_build", "The running Auricle's version.", registry=self.registry).info(
            {"version": __version__}
        )
        self.registry.register(StateGauges(models, seats))
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)

    def _define_engine_metrics(self) -> None:
        self._audio_seconds = Counter(
            "auricle_audio_seconds",
            "Seconds of audio transcribed, by model and task (transcribe, translate, partial).",
            ["model", "task"],
            registry=self.registry,
        )
        self._processing_seconds = Counter(
            "auricle_processing_seconds",
            "Seconds the models' workers spent decoding and recognising audio, by model and task.",
            ["model", "task"],
            registry=self.registry,
        )
        self._real_time_factor = Histogram(
            "auricle_real_time_factor",
            "Processing seconds per second of audio of each transcription (live partials left out).",
            ["model"],
            buckets=RTF_BUCKETS,
            registry=self.registry,
        )
        self._batch_size = Histogram(
            "auricle_batch_size",
            "Windows decoded together in one batch, across requests.",
            ["model"],
            buckets=BATCH_BUCKETS,
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    def request(self, route: str, method: str, status: int, model: str | None, seconds: float) -> None:
        model = model or NO_MODEL
        self._requests.labels(route, method, str(status), model).inc()
        self._request_seconds.labels(route, model).observe(seconds)

    def transcribed(self, done: Transcribed) -> None:
        task = PARTIAL if done.draft else done.task
        self._audio_seconds.labels(done.model_id, task).inc(done.audio_seconds)
        self._processing_seconds.labels(done.model_id, task).inc(done.processing_seconds)
        if not done.draft and done.audio_seconds > 0:
            ratio = done.processing_seconds / done.audio_seconds
            self._real_time_factor.labels(done.model_id).observe(ratio)

    def batched(self, model_id: str, size: int) -> None:
        """Called on the model's worker threads: prometheus_client's metrics take their own locks."""
        self._batch_size.labels(model_id).observe(size)
