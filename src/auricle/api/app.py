"""`create_app(settings)`: the whole HTTP service, assembled from its parts."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from auricle import __version__
from auricle.api.access import AccessLog
from auricle.api.auth import ApiKeys, require_api_key
from auricle.api.disconnect import install_disconnect_handlers
from auricle.api.errors import install_error_handlers
from auricle.api.limits import BodyLimitMiddleware
from auricle.api.metering import Metering, authenticate
from auricle.api.metrics import Metrics
from auricle.api.middleware import RequestContextMiddleware
from auricle.api.observer import RequestObserver
from auricle.api.realtime import route as realtime
from auricle.api.routes import admin, audio, billing, health, metrics, models, web
from auricle.api.routes import speech as speech_routes
from auricle.api.speech_metrics import SpeechMetrics
from auricle.config import Settings
from auricle.engine.factory import build_registry
from auricle.engine.registry import ModelRegistry
from auricle.live.seats import Seats
from auricle.synthesis.synthesizer import Synthesizer, installed_engines

logger = logging.getLogger(__name__)

RegistryFactory = Callable[[Settings], ModelRegistry]


def create_app(settings: Settings, registry_factory: RegistryFactory = build_registry) -> FastAPI:
    """The ASGI app. `registry_factory` lets fast API tests stand a fake engine in for the real one."""
    app = FastAPI(
        title="Auricle",
        version=__version__,
        summary="OpenAI-compatible speech-to-text",
        lifespan=_lifespan(settings, registry_factory),
    )
    app.state.settings = settings
    app.state.api_keys = ApiKeys(settings.resolved_api_keys())
    app.state.started_at = int(time.time())
    app.state.live_seats = Seats(settings.resolved_live_sessions(), settings.retry_after_seconds)
    app.state.metrics = _metrics(app, settings)
    app.state.synthesizer = _synthesizer(settings)
    app.state.speech_metrics = SpeechMetrics(app.state.metrics.registry) if app.state.metrics else None
    app.state.metering = _metering(settings, app.state.api_keys, app.state.metrics)

    check_key = require_api_key if app.state.metering is None else authenticate
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(check_key)])
    v1.include_router(audio.router)
    v1.include_router(models.router)
    v1.include_router(speech_routes.router)
    if app.state.metering is not None:
        v1.include_router(billing.billing_router)
    app.include_router(v1)
    _include_accounts(app, settings)
    # A WebSocket route checks its key itself (header or subprotocol), before the socket opens.
    app.include_router(realtime.router, prefix="/v1")
    app.include_router(health.router)
    if app.state.metrics is not None:
        app.include_router(metrics.router)
    if settings.web_page:
        app.include_router(web.router)

    install_error_handlers(app)
    install_disconnect_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        # Outside the body limit, so a browser can read the 413 too; answers preflights before auth.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type", "openai-organization", "openai-project"],
            expose_headers=[
                "x-request-id",
                "openai-processing-ms",
                "retry-after",
                "x-should-retry",
                "x-auricle-voice",
                "x-auricle-voice-fallback",
                "x-ratelimit-limit-requests",
                "x-ratelimit-remaining-requests",
                "x-ratelimit-reset-requests",
            ],
            max_age=600,
        )
    # Added last, so it runs outermost.
    app.add_middleware(
        RequestContextMiddleware,
        access_log=AccessLog(app.state.metrics),
        adopt_request_id=settings.adopt_request_id,
    )
    return app


def _lifespan(
    settings: Settings, registry_factory: RegistryFactory
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _warn_if_open(settings, app.state.api_keys)
        if app.state.metering is not None:
            await asyncio.to_thread(app.state.metering.start)
        registry = registry_factory(settings)
        app.state.registry = registry
        registry.observe(RequestObserver(app.state.metrics))
        try:
            # Serving starts once every model is loaded; a model that cannot load stops start-up.
            await asyncio.to_thread(registry.wait_loaded)
            logger.info("models ready: %s", ", ".join(registry.ids))
            yield
        finally:
            await asyncio.to_thread(registry.close)
            if app.state.metering is not None:
                app.state.metering.close()

    return lifespan


def _metrics(app: FastAPI, settings: Settings) -> Metrics | None:
    """The app's own metrics (`/metrics`), or None when they are turned off."""
    if not settings.metrics:
        return None
    # Read when scraped: the registry is built in the lifespan.
    return Metrics(lambda: getattr(app.state, "registry", None), app.state.live_seats)


def _include_accounts(app: FastAPI, settings: Settings) -> None:
    """The balance query for key holders, and the admin API when admin keys are set."""
    app.state.admin_keys = ApiKeys(settings.admin_keys)
    if app.state.metering is None:
        return
    app.include_router(billing.quota_router)
    if app.state.admin_keys.enabled:
        app.include_router(admin.router, prefix="/v1")


def _metering(settings: Settings, static: ApiKeys, metrics: Metrics | None) -> Metering | None:
    """Keys, limits and usage in the accounts database, or None when `database_url` is `none`."""
    url = settings.resolved_database_url()
    return None if url is None else Metering(settings, url, static, metrics)


def _warn_if_open(settings: Settings, keys: ApiKeys) -> None:
    if keys.enabled:
        logger.info("API keys required on /v1")
        return
    if _is_loopback(settings.host):
        logger.warning("no API keys configured: /v1 is open to anyone who can reach %s", settings.host)
    else:
        logger.error(
            "NO API KEYS CONFIGURED and bound to %s: anyone on the network can use this server. "
            "Set AURICLE_API_KEYS or AURICLE_API_KEYS_FILE.",
            settings.host,
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _synthesizer(settings: Settings) -> Synthesizer:
    """The speech voices; each loads on its first request (hibari 0.5 s, Piper 0.9 s)."""
    return Synthesizer(
        installed_engines(),
        mapping=settings.speech_voices,
        default_voice=settings.speech_default_voice,
        concurrency=settings.resolved_speech_concurrency(),
        max_queue=settings.speech_max_queue,
        retry_after_seconds=settings.retry_after_seconds,
    )
