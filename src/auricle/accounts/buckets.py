"""Usage and costs over time, bucketed as OpenAI's Usage and Costs APIs bucket them.

Served from the per-request ledger, so every width (`1m`, `1h`, `1d`) and every grouping is exact.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auricle.accounts import reports
from auricle.accounts.store import Store

WIDTHS = {"1m": 60, "1h": 3600, "1d": 86400}
DEFAULT_LIMITS = {"1m": 60, "1h": 24, "1d": 7}
MAX_LIMITS = {"1m": 1440, "1h": 168, "1d": 31}
GROUPS = {"project_id": "account_id", "api_key_id": "key_id", "model": "model", "line_item": "line_item"}
TRANSCRIPTION_ENDPOINTS = frozenset({"transcriptions", "translations", "realtime"})


@dataclass(frozen=True)
class Window:
    start: int
    end: int
    width: int
    limit: int


@dataclass
class Totals:
    billed_ms: int = 0
    characters: int = 0
    requests: int = 0
    cost_micros: int = 0


Bucket = tuple[int, int, dict[tuple[str | None, ...], Totals]]


def buckets(
    store: Store, window: Window, group_by: Iterable[str], endpoints: frozenset[str] | None = None
) -> tuple[list[Bucket], bool]:
    """Buckets from `window.start`, at most `limit` of them, and whether more follow before the end."""
    group = tuple(group_by)
    end = min(window.end, window.start + window.width * window.limit)
    rows = reports.events(store, since=window.start, until=end)
    starts = list(range(window.start, end, window.width))
    sums: list[dict[tuple[str | None, ...], Totals]] = [defaultdict(Totals) for _ in starts]
    for row in rows:
        if endpoints is not None and row["endpoint"] not in endpoints:
            continue
        index = int((row["finished_at"] - window.start) // window.width)
        totals = sums[index][tuple(_group_value(row, name) for name in group)]
        totals.billed_ms += row["billed_ms"]
        totals.characters += row["characters"]
        totals.cost_micros += row["cost_micros"]
        totals.requests += int(row["status"] != "failed")
    result = [(start, min(start + window.width, window.end), sums[i]) for i, start in enumerate(starts)]
    return result, end < window.end


def _group_value(row: dict[str, Any], name: str) -> str | None:
    if name == "line_item":
        return f"{row['model']}, {row['endpoint']}"
    return str(row[GROUPS[name]])


def window(start: int, end: int | None, width: str, limit: int | None) -> Window:
    seconds = WIDTHS[width]
    count = min(limit or DEFAULT_LIMITS[width], MAX_LIMITS[width])
    return Window(start, end if end is not None else int(time.time()) + 1, seconds, count)
