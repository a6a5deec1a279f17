"""The Serve application: Auricle's settings and the cluster's options mapped to one deployment.

`build` is the application builder that `serve run` and a config file's `import_path` name
(`auricle.cluster.app:build`, deploy/serve.yaml); `auricle serve --ray` calls `application` directly.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from ray.serve import Application

from auricle.cluster.replica import AuricleReplica, workers_for
from auricle.config import Settings

APP_NAME = "auricle"


class ClusterOptions(BaseModel):
    """What the cluster decides and Auricle's own settings do not: replicas, their size, their health."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    settings: dict[str, Any] = Field(default_factory=dict)
    """Auricle's settings by name (`workers`, `models`...), as `AURICLE_*` variables would give them."""
    min_replicas: int = Field(default=1, ge=1, le=1000)
    max_replicas: int | None = Field(default=None, ge=1, le=1000)
    """Autoscale between the two on requests in progress; None or equal to `min_replicas`: a fixed count."""
    replica_cpus: float | None = Field(default=None, gt=0)
    """Ray CPUs per replica when `workers` is 0 (its workers then follow); else workers x threads."""
    replica_memory_mb: int | None = Field(default=None, ge=1)
    """RAM Ray reserves per replica, so replicas pack by memory too (tiny.en measured about 290 MB)."""
    max_replicas_per_node: int | None = Field(default=None, ge=1)
    target_ongoing_requests: float | None = Field(default=None, gt=0)
    """Requests in progress per replica the autoscaler aims at; None: Auricle's `concurrency`."""
    upscale_delay_s: float = Field(default=10.0, ge=0)
    downscale_delay_s: float = Field(default=300.0, ge=0)
    health_check_period_s: float = Field(default=5.0, gt=0)
    """A replica whose models are not ready is replaced after this long at most."""
    graceful_shutdown_timeout_s: float = Field(default=60.0, ge=0)
    """How long a replica being scaled down or updated may finish the requests it is working on."""

    @model_validator(mode="after")
    def _bounds_in_order(self) -> ClusterOptions:
        if self.max_replicas is not None and self.max_replicas < self.min_replicas:
            raise ValueError(f"max_replicas {self.max_replicas} is below min_replicas {self.min_replicas}")
        return self


def deployment_options(settings: Settings, options: ClusterOptions) -> dict[str, Any]:
    """Serve's options for the deployment, each derived from Auricle's settings (README, Cluster)."""
    workers = workers_for(settings, options.replica_cpus or settings.cpu_threads)
    live_seats = settings.model_copy(update={"workers": workers}).resolved_live_sessions()
    actor: dict[str, Any] = {"num_cpus": workers * settings.cpu_threads}
    if settings.device == "cuda":
        # One GPU per replica: its workers share the device's one copy of each model. With `auto`, the
        # builder cannot know which nodes have one, so such replicas are placed as CPU ones.
        actor["num_gpus"] = 1
    if options.replica_memory_mb is not None:
        actor["memory"] = options.replica_memory_mb * 2**20
    max_replicas = options.max_replicas or options.min_replicas
    chosen: dict[str, Any] = {
        "ray_actor_options": actor,
        # A replica is handed only what it works on at once (its live sessions hold places of their
        # own); the rest wait in the proxy, where any replica can take them and where a dead replica
        # cannot lose them.
        "max_ongoing_requests": settings.concurrency + live_seats,
        # Auricle's queue per replica, so a full queue is as long a wait as on one `auricle serve`.
        "max_queued_requests": max(1, settings.max_queue * max_replicas),
        "backpressure_config": {"status_code": 429, "retry_after_s": settings.retry_after_seconds},
        "health_check_period_s": options.health_check_period_s,
        "graceful_shutdown_timeout_s": options.graceful_shutdown_timeout_s,
    }
    if options.max_replicas_per_node is not None:
        chosen["max_replicas_per_node"] = options.max_replicas_per_node
    if max_replicas == options.min_replicas:
        chosen["num_replicas"] = options.min_replicas
    else:
        chosen["autoscaling_config"] = _autoscaling(settings, options, max_replicas)
    return chosen


def _autoscaling(settings: Settings, options: ClusterOptions, max_replicas: int) -> dict[str, Any]:
    return {
        "min_replicas": options.min_replicas,
        "max_replicas": max_replicas,
        "target_ongoing_requests": options.target_ongoing_requests or settings.concurrency,
        "upscale_delay_s": options.upscale_delay_s,
        "downscale_delay_s": options.downscale_delay_s,
    }


def application(settings: Settings, options: ClusterOptions) -> Application:
    """The bound application. Settings travel as the values that were set (environment or arguments),
    so each replica fills the rest (the cache directory, say) from its own machine's defaults."""
    overrides = settings.model_dump(mode="json", exclude_unset=True)
    overrides["adopt_request_id"] = True  # Serve's proxy sets x-request-id and adds it to every answer
    return AuricleReplica.options(**deployment_options(settings, options)).bind(overrides)


def build(args: dict[str, Any]) -> Application:
    """The application builder for `serve run auricle.cluster.app:build` and a config's `import_path`.

    Settings are resolved here, once, with this process's `AURICLE_*` variables under `args["settings"]`.
    """
    options = ClusterOptions.model_validate(args)
    return application(Settings(**options.settings), options)
