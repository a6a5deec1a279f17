"""Per-request facts every layer of the API may need, kept in the ASGI scope and the running context."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
_KEY = "auricle.request_id"


@dataclass(slots=True)
class RequestFacts:
    """What the access line and the request metrics say about one request, gathered while it runs."""

    request_id: str
    model: str | None = None
    """The configured model id it named (an alias resolved); None when it named none or an unknown one."""
    audio_seconds: float = 0.0
    """Audio it had transcribed."""


# The engine tells its observer of a request's model and audio without knowing the request (`observer.py`):
# the request is the one whose context the news arrives in.
_current: ContextVar[RequestFacts | None] = ContextVar("auricle_request", default=None)


def new_request_id() -> str:
    # OpenAI's own shape: req_ and 32 hex digits.
    return "req_" + secrets.token_hex(16)


def bind_request_id(scope: Scope) -> str:
    rid = new_request_id()
    scope.setdefault("state", {})[_KEY] = rid
    return rid


def request_id(scope: Scope) -> str:
    return str(scope.get("state", {}).get(_KEY, "unknown"))


@contextmanager
def request_facts(scope: Scope) -> Iterator[RequestFacts]:
    """A new request id for `scope`, and the facts of the request, current until the block ends."""
    facts = RequestFacts(bind_request_id(scope))
    token = _current.set(facts)
    try:
        yield facts
    finally:
        _current.reset(token)


def current_request() -> RequestFacts | None:
    """The facts of the request whose work is running now, if any (none for a WebSocket's)."""
    return _current.get()
