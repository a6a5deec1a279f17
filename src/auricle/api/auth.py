"""Bearer-key authentication for /v1, with OpenAI's 401 wordings. Keys are held only as hashes."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from fastapi import Request

from auricle.errors import AuricleError, Reason

MISSING_KEY_MESSAGE = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using "
    "Bearer auth (i.e. Authorization: Bearer YOUR_KEY). Ask the operator of this Auricle server for a key."
)


class Unauthorized(AuricleError):
    reason = Reason.UNAUTHORIZED


class ApiKeys:
    def __init__(self, keys: Iterable[str]) -> None:
        self._digests = [_digest(key) for key in keys]

    @property
    def enabled(self) -> bool:
        return bool(self._digests)

    def check(self, authorization: str | None) -> None:
        if not self.enabled:
            return
        scheme, _, key = (authorization or "").partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            raise Unauthorized(MISSING_KEY_MESSAGE)
        candidate = _digest(key)
        # Compare against every key, without stopping early, so timing says nothing about which matched.
        matched = False
        for digest in self._digests:
            matched |= hmac.compare_digest(candidate, digest)
        if not matched:
            raise Unauthorized(
                f"Incorrect API key provided: {mask(key)}. "
                "Ask the operator of this Auricle server for a key.",
                code="invalid_api_key",
            )


def mask(key: str) -> str:
    """OpenAI's style: enough of the key to recognise it, never enough to use it."""
    if len(key) < 12:
        return "*" * len(key)
    return f"{key[:3]}{'*' * (len(key) - 7)}{key[-4:]}"


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


async def require_api_key(request: Request) -> None:
    keys: ApiKeys = request.app.state.api_keys
    keys.check(request.headers.get("authorization"))
