"""ASGI middleware: request ids and timing headers on every response, a 500 that never leaks, and the
access line and request metrics once the answer has been sent."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auricle.api.access import AccessLog
from auricle.api.context import RequestFacts, request_facts
from auricle.api.disconnect import CLIENT_CLOSED_REQUEST
from auricle.api.errors import unexpected_error_response
from auricle.logs import request_context

logger = logging.getLogger(__name__)


class RequestContextMiddleware:
    """Outermost layer, so even an unexpected failure leaves in the envelope with the request id.

    With `adopt_request_id`, the id comes from the request's `x-request-id` and no `x-request-id` is
    added to the response: the proxy in front (Ray Serve's) sets the one and adds the other.
    """

    def __init__(self, app: ASGIApp, access_log: AccessLog, adopt_request_id: bool = False) -> None:
        self.app = app
        self.access_log = access_log
        self.adopt_request_id = adopt_request_id

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with request_facts(scope, self.adopt_request_id) as facts, request_context(facts.request_id):
            await self._serve(scope, receive, send, facts)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, facts: RequestFacts) -> None:
        rid = facts.request_id
        started = time.perf_counter()
        status: int | None = None

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                if not self.adopt_request_id:
                    headers["x-request-id"] = rid
                headers["openai-processing-ms"] = str(round((time.perf_counter() - started) * 1000))
                headers["openai-version"] = "2020-10-01"
                headers["x-content-type-options"] = "nosniff"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            logger.exception("unexpected error in request %s", rid)
            if status is not None:
                raise
            await unexpected_error_response(rid)(scope, receive, send_with_headers)
        finally:
            # Here the whole answer is sent, a stream's last event included. No status means the
            # request was cancelled before one was sent: its client went away (or the server stopped).
            seconds = time.perf_counter() - started
            self.access_log.record(scope, facts, CLIENT_CLOSED_REQUEST if status is None else status, seconds)
