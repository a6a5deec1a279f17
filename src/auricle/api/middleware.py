"""ASGI middleware: request ids and timing headers on every response, and a 500 that never leaks."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auricle.api.context import bind_request_id
from auricle.api.errors import unexpected_error_response

logger = logging.getLogger(__name__)


class RequestContextMiddleware:
    """Outermost layer, so even an unexpected failure leaves in the envelope with the request id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = bind_request_id(scope)
        started = time.perf_counter()
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                headers = MutableHeaders(scope=message)
                headers["x-request-id"] = rid
                headers["openai-processing-ms"] = str(round((time.perf_counter() - started) * 1000))
                headers["openai-version"] = "2020-10-01"
                headers["x-content-type-options"] = "nosniff"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            logger.exception("unexpected error in request %s", rid)
            if response_started:
                raise
            await unexpected_error_response(rid)(scope, receive, send_with_headers)
