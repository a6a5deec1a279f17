"""`/v1/realtime?intent=transcription`: the WebSocket route, its checks before the socket opens, and
the session behind it.

What is wrong before the socket opens (no key, a wrong key, no transcription intent, an unknown model,
a server with every live seat taken) is refused with an HTTP status and OpenAI's error envelope, as on
the rest of `/v1`: the SDKs raise it from `connect()`. Servers that cannot send an HTTP answer to a
WebSocket handshake close it instead, with code 1008 (policy) or 1013 (try again later).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import ExitStack

from fastapi import APIRouter, WebSocket

from auricle.accounts.usage import SessionUsage
from auricle.api.auth import ApiKeys
from auricle.api.errors import auricle_error_response
from auricle.api.metering import Metering
from auricle.api.realtime import handshake
from auricle.api.realtime.connection import Connection, Terms
from auricle.config import Settings
from auricle.engine.registry import ModelRegistry
from auricle.errors import AuricleError, Reason
from auricle.live.config import LiveConfig, LiveLimits
from auricle.live.seats import Seats

logger = logging.getLogger(__name__)

router = APIRouter()

DEFAULT_MODEL = "whisper-1"
"""What OpenAI's sessions name when the client names nothing; an alias of the default model here."""


@router.websocket("/realtime")
async def realtime(websocket: WebSocket) -> None:
    settings: Settings = websocket.app.state.settings
    registry: ModelRegistry = websocket.app.state.registry
    seats: Seats = websocket.app.state.live_seats
    usage: SessionUsage | None = None
    with ExitStack() as stack:
        try:
            hello = handshake.read(websocket)
            await _check_key(websocket, hello.authorization)
            config = LiveConfig(model=_model(hello.model, registry))
            connection = Connection(websocket, hello.dialect, config, registry, _terms(settings))
            stack.enter_context(seats.seat())
            usage = await _admit(websocket)
            connection.usage = usage
        except AuricleError as error:
            if usage is not None:
                await usage.end()
            await _refuse(websocket, error)
            return
        await websocket.accept(subprotocol=hello.subprotocol)
        try:
            await connection.serve()
        finally:
            if usage is not None:
                await usage.end()


async def _check_key(websocket: WebSocket, authorization: str | None) -> None:
    """The key, checked against the accounts database when there is one (a revoked key is refused)."""
    metering: Metering | None = websocket.app.state.metering
    if metering is None:
        keys: ApiKeys = websocket.app.state.api_keys
        keys.check(authorization)
        return
    websocket.state.principal = await asyncio.to_thread(metering.authenticate, authorization)


async def _admit(websocket: WebSocket) -> SessionUsage | None:
    """The session takes one of its key's in-flight slots (and one request of its rpm) for its life."""
    metering: Metering | None = websocket.app.state.metering
    principal = getattr(websocket.state, "principal", None)
    if metering is None or principal is None:
        return None
    ticket = await asyncio.to_thread(metering.meter.admit, principal, "realtime")
    return SessionUsage(metering.meter, ticket)


def _model(named: str | None, registry: ModelRegistry) -> str:
    """The URL's `model` where it names a model here; older SDKs send an OpenAI model name, ignored."""
    return named if named is not None and named in registry.ids else DEFAULT_MODEL


def _terms(settings: Settings) -> Terms:
    limits = LiveLimits(
        draft_every_seconds=settings.live_partial_every_ms / 1000,
        max_buffer_seconds=settings.live_max_buffer_seconds,
        busy_at=settings.resolved_workers(),
    )
    return Terms(limits, settings.live_max_session_seconds, settings.max_prompt_chars)


async def _refuse(websocket: WebSocket, error: AuricleError) -> None:
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(auricle_error_response(error))
        return
    await websocket.close(code=1013 if error.reason is Reason.BUSY else 1008, reason=error.message[:120])
