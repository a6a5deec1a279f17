"""The `chunking_strategy` field: "auto", or a `server_vad` object, from bracketed fields or JSON."""

from __future__ import annotations

import json
import math
from typing import Any

from pydantic_core import PydanticCustomError

from auricle.engine.options import Chunking

_KEYS = frozenset({"type", "threshold", "prefix_padding_ms", "silence_duration_ms"})
MAX_MILLISECONDS = 10_000


def parse_chunking(value: object) -> Chunking | None:
    """None for "auto" (Auricle's own spans), else the `server_vad` settings with OpenAI's defaults."""
    if value is None or value == "auto":
        return None
    if isinstance(value, str):
        value = _json_object(value)
    if not isinstance(value, dict):
        raise _invalid("expected 'auto' or an object with type 'server_vad'")
    unknown = sorted(set(value) - _KEYS)
    if unknown:
        raise _invalid(f"unknown parameter '{unknown[0]}'")
    if value.get("type") != "server_vad":
        raise _invalid(f"type must be 'server_vad', not {value.get('type')!r}")
    defaults = Chunking()
    return Chunking(
        threshold=_number(value, "threshold", defaults.threshold, 0.0, 1.0),
        prefix_padding_ms=int(
            _number(value, "prefix_padding_ms", defaults.prefix_padding_ms, 0, MAX_MILLISECONDS)
        ),
        silence_duration_ms=int(
            _number(value, "silence_duration_ms", defaults.silence_duration_ms, 0, MAX_MILLISECONDS)
        ),
    )


def _json_object(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise _invalid("expected 'auto' or an object with type 'server_vad'") from None


def _number(value: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    raw = value.get(key, default)
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise _invalid(f"'{key}' must be a number, not {raw!r}") from None
    integral = key != "threshold"
    if not math.isfinite(number) or not low <= number <= high or (integral and number != int(number)):
        kind = "an integer" if integral else "a number"
        raise _invalid(f"'{key}' must be {kind} from {low:g} to {high:g}, not {raw!r}")
    return number


def _invalid(reason: str) -> PydanticCustomError:
    return PydanticCustomError("invalid_value", f"Invalid 'chunking_strategy': {reason}.")
