"""One Serve replica: a whole Auricle app (its models, worker threads and batcher) behind Serve's proxy."""

from __future__ import annotations

from typing import Any

import ray
from fastapi import FastAPI
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from ray import serve
from ray.serve import Deployment

from auricle.api.app import create_app
from auricle.config import Settings
from auricle.engine.memory import limit_malloc_arenas
from auricle.engine.sources import resolve
from auricle.logs import configure_logging


class GivenSettings(Settings):
    """Settings from the overrides the builder sent and nothing else: the replica's own environment
    (a raylet's, inherited from whoever ran `ray start`) must not change what the operator asked for."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def workers_for(settings: Settings, cpus: float) -> int:
    """`workers`, or with 0 as many as the replica's CPUs hold `cpu_threads` each: never the node's core
    count, which `os.cpu_count()` would give, since other replicas share the node."""
    return settings.workers or max(1, int(cpus) // settings.cpu_threads)


def replica_settings(overrides: dict[str, Any], assigned_cpus: float) -> Settings:
    """The settings one replica serves with: the operator's, every model's weights resolved to a local
    directory (as `auricle serve` does before starting), workers fixed, request ids taken from Serve."""
    given = GivenSettings(**overrides)
    local = {model_id: str(resolve(source, given.cache_dir)) for model_id, source in given.models.items()}
    update = {"models": local, "workers": workers_for(given, assigned_cpus), "adopt_request_id": True}
    return given.model_copy(update=update)


DEPLOYMENT = "Auricle"


@serve.ingress()
class AuricleIngress:
    """Serve builds the app on each replica after this constructor, then runs its lifespan (which waits
    for every model to load) before the replica counts as started, so no request reaches one whose
    models are still loading."""

    def __init__(self, overrides: dict[str, Any]) -> None:
        limit_malloc_arenas()  # before any model's threads start, as in `auricle serve`
        context: Any = ray.get_runtime_context()  # its methods are untyped
        cpus = context.get_assigned_resources().get("CPU", 1.0)
        self._settings = replica_settings(overrides, cpus)
        configure_logging(self._settings)
        # Not `self.app`: the ingress wrapper owns a read-only `app` property.
        self._auricle: FastAPI | None = None

    def __serve_build_asgi_app__(self) -> FastAPI:
        self._auricle = create_app(self._settings)
        return self._auricle

    def check_health(self) -> None:
        """Called by Serve every `health_check_period_s`; raising has the replica replaced."""
        registry = getattr(self._auricle.state, "registry", None) if self._auricle else None
        if registry is None or not registry.ready:
            raise RuntimeError("Auricle's models are not loaded")


# A function call rather than a class decorator: mypy does not see a class decorator's result.
AuricleReplica: Deployment = serve.deployment(name=DEPLOYMENT)(AuricleIngress)
