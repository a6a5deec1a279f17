"""What an account and a key have left this month: audio seconds and money, holds included.

Monthly periods are calendar months in UTC. Every figure comes from the rollup and the live leases,
read inside the caller's transaction, so two replicas cannot both spend the last second.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from auricle.accounts.errors import QuotaExceeded
from auricle.accounts.prices import Price
from auricle.accounts.schema import leases, usage_daily


@dataclass(frozen=True)
class Left:
    """What remains: audio milliseconds and micro-units, None where there is no cap."""

    audio_ms: int | None
    micros: int | None


def month_start(now: float) -> str:
    return time.strftime("%Y-%m-01", time.gmtime(now))


def left(conn: Connection, account: Any, key: Any, now: float) -> Left:
    """Only the caps that are set are summed: a key with none costs no query here."""
    audio: list[int] = []
    money: list[int] = []
    if key["monthly_audio_seconds"] is not None:
        used, held = (
            _used(conn, usage_daily.c.key_id, key["id"], now),
            _held(conn, leases.c.key_id, key["id"]),
        )
        audio.append(key["monthly_audio_seconds"] * 1000 - used[0] - held[0])
    if key["spend_limit_micros"] is not None:
        money.append(
            key["spend_limit_micros"] - key["spent_micros"] - _held(conn, leases.c.key_id, key["id"])[1]
        )
    if account["balance_micros"] is not None:
        money.append(account["balance_micros"])
    if account["monthly_audio_seconds"] is not None or account["monthly_spend_micros"] is not None:
        used = _used(conn, usage_daily.c.account_id, account["id"], now)
        held = _held(conn, leases.c.account_id, account["id"])
        if account["monthly_audio_seconds"] is not None:
            audio.append(account["monthly_audio_seconds"] * 1000 - used[0] - held[0])
        if account["monthly_spend_micros"] is not None:
            money.append(account["monthly_spend_micros"] - used[1] - held[1])
    return Left(min(audio) if audio else None, min(money) if money else None)


def _used(conn: Connection, column: Any, value: str, now: float) -> tuple[int, int]:
    query = select(
        func.coalesce(func.sum(usage_daily.c.billed_ms), 0),
        func.coalesce(func.sum(usage_daily.c.cost_micros), 0),
    ).where(column == value, usage_daily.c.day >= month_start(now))
    row = conn.execute(query).one()
    return int(row[0]), int(row[1])


def _held(conn: Connection, column: Any, value: str) -> tuple[int, int]:
    query = select(
        func.coalesce(func.sum(leases.c.hold_ms), 0), func.coalesce(func.sum(leases.c.hold_micros), 0)
    ).where(column == value)
    row = conn.execute(query).one()
    return int(row[0]), int(row[1])


def require_some(remaining: Left) -> None:
    """At admission: refused when any cap is already used up."""
    if (remaining.audio_ms is not None and remaining.audio_ms <= 0) or (
        remaining.micros is not None and remaining.micros <= 0
    ):
        raise QuotaExceeded


def require_enough(remaining: Left, need_ms: int, cost: int, price: Price) -> None:
    """Before inference: the whole request fits, or it is refused whole, saying what it needs."""
    seconds_left = [remaining.audio_ms] if remaining.audio_ms is not None else []
    if remaining.micros is not None and price.audio_second_micros > 0:
        seconds_left.append(remaining.micros * 1000 // price.audio_second_micros)
    short_of_money = remaining.micros is not None and cost > remaining.micros
    if short_of_money or (seconds_left and need_ms > min(seconds_left)):
        have = max(0, min(seconds_left)) // 1000 if seconds_left else 0
        raise QuotaExceeded(f"This request needs {math.ceil(need_ms / 1000)} s of audio; {have} s remain.")
