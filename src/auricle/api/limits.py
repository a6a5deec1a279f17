"""The request-body limit, enforced while the upload streams in so nothing larger is ever held."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auricle.api.errors import auricle_error_response
from auricle.errors import AuricleError, Reason


class BodyTooLarge(AuricleError):
    reason = Reason.TOO_LARGE

    def __init__(self, limit: int, seen: int) -> None:
        super().__init__(f"Maximum content size limit ({limit}) exceeded ({seen} bytes read)")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            # Refused before a byte of the body is read.
            await auricle_error_response(BodyTooLarge(self.max_body_bytes, declared))(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # Raised into whoever is reading the body; the error handlers turn it into a 413.
                    raise BodyTooLarge(self.max_body_bytes, received)
            return message

        await self.app(scope, limited_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
