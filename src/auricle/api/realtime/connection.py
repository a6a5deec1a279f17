"""One open realtime WebSocket: client events in, the live session's events out, until either side ends.

A bad event never ends the session: it is answered with an `error` event naming the client's
`event_id`, as OpenAI does ("most errors are recoverable and the session will stay open"). The session
ends when the client leaves (every decode of it is stopped then) or when it reaches its maximum
length, which is announced with a `session_expired` error first.
"""

from __future__ import annotations

import asyncio
import binascii
import json
import logging
import secrets
import time
from base64 import b64decode
from dataclasses import dataclass
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from auricle.accounts.errors import QuotaExceeded
from auricle.accounts.usage import SessionUsage
from auricle.api.realtime import session_update
from auricle.engine.options import DecodeOptions
from auricle.engine.registry import ModelRegistry
from auricle.engine.runner import ModelRunner
from auricle.errors import AuricleError, InvalidRequest
from auricle.formats import realtime
from auricle.live.config import LiveConfig, LiveLimits
from auricle.live.events import Completed, LiveEvent
from auricle.live.session import LiveSession

logger = logging.getLogger(__name__)

CLIENT_EVENTS = (
    "session.update",
    "transcription_session.update",
    "input_audio_buffer.append",
    "input_audio_buffer.commit",
    "input_audio_buffer.clear",
)


@dataclass(frozen=True, slots=True)
class Terms:
    """What the server allows every session."""

    limits: LiveLimits
    max_seconds: float
    max_prompt_chars: int


class Connection:
    def __init__(
        self,
        websocket: WebSocket,
        dialect: realtime.Dialect,
        config: LiveConfig,
        registry: ModelRegistry,
        terms: Terms,
    ) -> None:
        self._websocket = websocket
        self.usage: SessionUsage | None = None
        """Where each turn is recorded, when the session's key is metered."""
        self._bills: set[asyncio.Future[None]] = set()
        self._dialect = dialect
        self._registry = registry
        self._terms = terms
        self._outbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._id = "sess_" + secrets.token_hex(12)
        self._expires_at = int(time.time() + terms.max_seconds)
        runner = registry.check(config.model, _options(config))
        self._session = LiveSession(config, runner, terms.limits, self._told)

    async def serve(self) -> None:
        logger.info("live session %s started (%s dialect)", self._id, self._dialect)
        self._send(realtime.session_event("created", self._dialect, self._session_object()))
        sender = asyncio.get_running_loop().create_task(self._send_all())
        try:
            async with asyncio.timeout(self._terms.max_seconds):
                await self._receive_all()
        except TimeoutError:
            minutes = self._terms.max_seconds / 60
            self._send(
                realtime.error(
                    f"Your session hit the maximum duration of {minutes:g} minutes.", code="session_expired"
                )
            )
        finally:
            await self._session.close()
            await asyncio.gather(*self._bills, return_exceptions=True)
            self._outbox.put_nowait(None)  # whatever is queued is sent first, then the socket closes
            await asyncio.gather(sender, return_exceptions=True)
            logger.info("live session %s ended", self._id)

    async def _receive_all(self) -> None:
        while True:
            message = await self._websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                self._send(
                    realtime.error("Send events as JSON text frames, not binary.", code="invalid_event")
                )
                continue
            self._handle(text)

    def _handle(self, text: str) -> None:
        client_event_id = None
        try:
            event = json.loads(text)
            if not isinstance(event, dict):
                raise InvalidRequest("An event must be a JSON object.", code="invalid_event")
            client_event_id = event.get("event_id") if isinstance(event.get("event_id"), str) else None
            self._dispatch(event)
        except json.JSONDecodeError as problem:
            self._send(realtime.error(f"The event is not valid JSON: {problem.msg}.", code="invalid_json"))
        except AuricleError as problem:
            self._send(
                realtime.error(
                    problem.message, code=problem.code, param=problem.param, client_event_id=client_event_id
                )
            )

    def _dispatch(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind is None:
            raise InvalidRequest("The 'type' field is missing.", code="invalid_event")
        if kind not in CLIENT_EVENTS:
            choices = ", ".join(f"'{name}'" for name in CLIENT_EVENTS)
            raise InvalidRequest(
                f"Invalid value: '{kind}'. Supported values are: {choices}.",
                param="type",
                code="invalid_value",
            )
        if kind in ("session.update", "transcription_session.update"):
            self._update(event, "beta" if kind.startswith("transcription_session") else "ga")
        elif kind == "input_audio_buffer.append":
            self._session.append(_audio(event.get("audio")))
        elif kind == "input_audio_buffer.commit":
            self._session.commit()
        else:
            self._session.clear()

    def _update(self, event: dict[str, Any], dialect: realtime.Dialect) -> None:
        if "session" not in event:
            raise InvalidRequest(
                "Missing required parameter: 'session'.", param="session", code="missing_required_parameter"
            )
        config = session_update.apply(
            self._session.config, event["session"], dialect, self._terms.max_prompt_chars
        )
        runner: ModelRunner = self._registry.check(config.model, _options(config))
        self._session.update(config, runner)
        self._send(realtime.session_event("updated", self._dialect, self._session_object()))

    def _session_object(self) -> dict[str, Any]:
        return realtime.session_object(self._session.config, self._dialect, self._id, self._expires_at)

    def _told(self, event: LiveEvent) -> None:
        for wire in realtime.events(event, self._dialect, self._session.config):
            self._send(wire)
        if self.usage is not None and isinstance(event, Completed):
            bill = asyncio.ensure_future(self._bill(self.usage, event.transcript.duration))
            self._bills.add(bill)
            bill.add_done_callback(self._bills.discard)

    async def _bill(self, usage: SessionUsage, seconds: float) -> None:
        """Records the turn just sent; once the key has nothing left, says so and ends the session."""
        try:
            more = await usage.turn(self._session.config.model, seconds)
        except AuricleError as problem:  # the store went away, or the key was revoked mid-session
            self._send(realtime.error(problem.message, code=problem.code))
            more = False
        if not more:
            self._send(realtime.error(QuotaExceeded().message, code="insufficient_quota"))
            self._outbox.put_nowait(None)

    def _send(self, event: dict[str, Any]) -> None:
        self._outbox.put_nowait(event)

    async def _send_all(self) -> None:
        try:
            while (event := await self._outbox.get()) is not None:
                await self._websocket.send_text(json.dumps(event, ensure_ascii=False, separators=(",", ":")))
            await self._websocket.close()
        except (WebSocketDisconnect, RuntimeError, OSError):
            return  # the client is gone; the receiving side notices and ends the session


def _options(config: LiveConfig) -> DecodeOptions:
    """What the model must support for `config`: an English-only model hears English only."""
    return DecodeOptions(language=config.language, languages=config.languages)


def _audio(value: object) -> bytes:
    if not isinstance(value, str):
        raise InvalidRequest(
            "Missing required parameter: 'audio'.", param="audio", code="missing_required_parameter"
        )
    try:
        return b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidRequest(
            "Invalid 'audio': expected base64-encoded audio bytes.", param="audio", code="invalid_value"
        ) from None
