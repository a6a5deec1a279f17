"""Every error leaves as OpenAI's four-key envelope, with OpenAI's status, type and retry hints."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from auricle.accounts.errors import RateLimited
from auricle.errors import AuricleError, Busy, Reason

_STATUS_AND_TYPE: dict[Reason, tuple[int, str]] = {
    Reason.INVALID: (400, "invalid_request_error"),
    Reason.UNAUTHORIZED: (401, "invalid_request_error"),
    Reason.NOT_FOUND: (404, "invalid_request_error"),
    # OpenAI reports an oversized body as a server_error, and clients match on that.
    Reason.TOO_LARGE: (413, "server_error"),
    Reason.BUSY: (429, "requests"),
    Reason.UNAVAILABLE: (503, "server_error"),
    Reason.TIMED_OUT: (504, "server_error"),
    Reason.QUOTA: (429, "insufficient_quota"),
}
# The same audio would run out of time again, so a timeout is not worth an automatic retry.
_NOT_RETRIED = frozenset({Reason.TIMED_OUT, Reason.QUOTA})
# The statuses the SDKs retry; every other error is deterministic and says so.
_RETRYABLE = frozenset({408, 409, 429, 502, 503, 504})


def envelope(
    message: str, error_type: str, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": error_type, "param": param, "code": code}}


def error_response(
    status: int,
    message: str,
    error_type: str,
    *,
    param: str | None = None,
    code: str | None = None,
    retry: bool | None = None,
) -> JSONResponse:
    retry = status in _RETRYABLE if retry is None else retry
    headers = {"x-should-retry": "true" if retry else "false"}
    return JSONResponse(envelope(message, error_type, param, code), status_code=status, headers=headers)


def auricle_error_envelope(error: AuricleError) -> dict[str, Any]:
    """The body `auricle_error_response` sends, for where no status can be sent (a stream's error)."""
    return envelope(error.message, _STATUS_AND_TYPE[error.reason][1], error.param, error.code)


def auricle_error_response(error: AuricleError) -> JSONResponse:
    status, error_type = _STATUS_AND_TYPE[error.reason]
    retry = False if error.reason in _NOT_RETRIED else None
    response = error_response(
        status, error.message, error_type, param=error.param, code=error.code, retry=retry
    )
    if isinstance(error, Busy):
        response.headers["retry-after"] = str(error.retry_after_seconds)
    if isinstance(error, RateLimited):
        # The SDKs wait `retry-after-ms` first; OpenAI's headers say where the key's limit stands.
        response.headers["retry-after-ms"] = str(error.retry_after_ms)
        if error.rate is not None:
            response.headers.update(error.rate.headers())
    if error.reason is Reason.TOO_LARGE:
        # Closing is the only way to stop the client sending the rest of an unwanted upload.
        response.headers["connection"] = "close"
    return response


async def _on_auricle_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, AuricleError)
    return auricle_error_response(error)


async def _on_http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    status = error.status_code
    error_type = "server_error" if status >= 500 else "invalid_request_error"
    message = error.detail if isinstance(error.detail, str) else str(error.detail)
    if status == 404:
        message = (
            "Not found. Auricle serves /v1/audio/transcriptions, /v1/audio/translations, /v1/audio/speech "
            "and /v1/models."
        )
    response = error_response(status, message, error_type)
    response.headers.update(error.headers or {})
    return response


async def _on_validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    first = error.errors()[0] if error.errors() else {}
    param = ".".join(str(part) for part in first.get("loc", ())[1:]) or None
    return error_response(400, str(first.get("msg", "Invalid request")), "invalid_request_error", param=param)


def unexpected_error_message(rid: str) -> str:
    return (
        "The server had an error while processing your request. Sorry about that! "
        f"Please include the request ID {rid} if you report it."
    )


def unexpected_error_response(rid: str) -> JSONResponse:
    return error_response(500, unexpected_error_message(rid), "server_error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AuricleError, _on_auricle_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
