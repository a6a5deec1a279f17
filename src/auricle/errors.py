"""Errors the service layers raise about a request, free of HTTP.

The API layer maps each `Reason` to a status and OpenAI's error type; the layers below only say what went
wrong, which parameter it concerns and OpenAI's machine-readable code.
"""

from __future__ import annotations

from enum import Enum


class Reason(Enum):
    INVALID = "invalid"  # the request can never succeed as sent
    NOT_FOUND = "not_found"
    TOO_LARGE = "too_large"
    BUSY = "busy"  # try again later
    UNAUTHORIZED = "unauthorized"
    UNAVAILABLE = "unavailable"  # the service is not ready to answer


class AuricleError(Exception):
    reason: Reason = Reason.INVALID

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code


class InvalidRequest(AuricleError):
    reason = Reason.INVALID


class NotFound(AuricleError):
    reason = Reason.NOT_FOUND


class Busy(AuricleError):
    reason = Reason.BUSY

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message, code="rate_limit_exceeded")
        self.retry_after_seconds = retry_after_seconds


class Unavailable(AuricleError):
    reason = Reason.UNAVAILABLE
