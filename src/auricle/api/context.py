"""Per-request facts every layer of the API may need, kept in the ASGI scope."""

from __future__ import annotations

import secrets
from collections.abc import MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
_KEY = "auricle.request_id"


def new_request_id() -> str:
    # OpenAI's own shape: req_ and 32 hex digits.
    return "req_" + secrets.token_hex(16)


def bind_request_id(scope: Scope) -> str:
    rid = new_request_id()
    scope.setdefault("state", {})[_KEY] = rid
    return rid


def request_id(scope: Scope) -> str:
    return str(scope.get("state", {}).get(_KEY, "unknown"))
