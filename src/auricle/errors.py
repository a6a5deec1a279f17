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
    TIMED_OUT = "timed_out"  # the request ran past the server's time limit
    QUOTA = "quota"  # the key's account has no quota left: OpenAI's insufficient_quota, never retried


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


class TimedOut(AuricleError):
    reason = Reason.TIMED_OUT

    def __init__(self, limit_seconds: float) -> None:
        super().__init__(
            f"The request did not finish within the server's time limit of {limit_seconds:g} seconds "
            "and was stopped. Send shorter audio, or ask the operator to raise "
            "AURICLE_REQUEST_TIMEOUT_SECONDS.",
            code="timeout",
        )
