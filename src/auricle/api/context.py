"""Per-request facts every layer of the API may need, kept in the ASGI scope and the running context."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
_KEY = "auricle.request_id"
# An adopted id goes into log lines, the access line and error messages: bounded, and nothing that could
# forge a log line or a header (Serve's own ids are 36-character UUIDs).
_ADOPTABLE = re.compile(r"[A-Za-z0-9._:-]{1,128}")


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


def incoming_request_id(scope: Scope) -> str | None:
    """The request's own `x-request-id`, when there is exactly one and it is safe to adopt."""
    values = [value for name, value in scope.get("headers", ()) if name.lower() == b"x-request-id"]
    if len(values) != 1:
        return None
    candidate = values[0].decode("latin-1")
    return candidate if _ADOPTABLE.fullmatch(candidate) else None


def bind_request_id(scope: Scope, adopt: bool = False) -> str:
    """A request id for `scope`: its incoming one when `adopt` and that one is valid, else a new one."""
    rid = (incoming_request_id(scope) if adopt else None) or new_request_id()
    scope.setdefault("state", {})[_KEY] = rid
    return rid


def request_id(scope: Scope) -> str:
    return str(scope.get("state", {}).get(_KEY, "unknown"))


@contextmanager
def request_facts(scope: Scope, adopt_request_id: bool = False) -> Iterator[RequestFacts]:
    """A request id for `scope` (see `bind_request_id`), and the facts of the request, current until the
    block ends."""
    facts = RequestFacts(bind_request_id(scope, adopt_request_id))
    token = _current.set(facts)
    try:
        yield facts
    finally:
        _current.reset(token)


def current_request() -> RequestFacts | None:
    """The facts of the request whose work is running now, if any (none for a WebSocket's)."""
    return _current.get()
