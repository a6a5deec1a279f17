"""Usage read back: per day from the rollup (never pruned), totals per key or account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from auricle.accounts.schema import usage_daily, usage_events
from auricle.accounts.store import Store

_SUMS = ("requests", "failed_requests", "cancelled_requests", "billed_ms", "characters", "cost_micros")


def daily(
    store: Store,
    *,
    key_id: str | None = None,
    account_id: str | None = None,
    since: str | None = None,
    until: str | None = None,
    group: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Rows of `day` (YYYY-MM-DD) plus `group` columns (key_id, account_id, model, endpoint) and sums."""
    columns = [usage_daily.c.day, *(usage_daily.c[name] for name in group)]
    sums = [func.sum(usage_daily.c[name]).label(name) for name in _SUMS]
    query = select(*columns, *sums).group_by(*columns).order_by(*columns)
    if key_id is not None:
        query = query.where(usage_daily.c.key_id == key_id)
    if account_id is not None:
        query = query.where(usage_daily.c.account_id == account_id)
    if since is not None:
        query = query.where(usage_daily.c.day >= since)
    if until is not None:
        query = query.where(usage_daily.c.day < until)
    with store.transaction() as conn:
        return [{name: _int(value) for name, value in row.items()} for row in conn.execute(query).mappings()]


def totals(store: Store, **filters: Any) -> dict[str, int]:
    rows = daily(store, **filters)
    return {name: sum(int(row[name]) for row in rows) for name in _SUMS}


def events(store: Store, *, since: float, until: float | None = None) -> list[dict[str, Any]]:
    """Ledger rows finished in [since, until), for buckets finer than a day."""
    query = (
        select(usage_events).where(usage_events.c.finished_at >= since).order_by(usage_events.c.finished_at)
    )
    if until is not None:
        query = query.where(usage_events.c.finished_at < until)
    with store.transaction() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def _int(value: Any) -> Any:
    # PostgreSQL sums BIGINT as NUMERIC: Decimal, which JSON cannot take.
    return int(value) if value is not None and not isinstance(value, str) else value
