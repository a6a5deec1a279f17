"""Admission, reservation and settlement: each one short transaction on the store, nothing cached.

`admit` before the body is read (rate, in-flight, anything left at all), `reserve` once the audio's
length is known (the whole request must fit), `settle` once delivery is known (exactly once: the
ledger's key is a usage id minted here, so a repeated settle changes nothing). Holds live in leases
that expire, so a replica that dies gives its capacity and its holds back.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from auricle.accounts import quota
from auricle.accounts.errors import KeyRefused, RateInfo, RateLimited
from auricle.accounts.keys import Principal
from auricle.accounts.ledger import Ledger, charge
from auricle.accounts.prices import Prices
from auricle.accounts.schema import accounts, api_keys, leases
from auricle.accounts.store import Store

WINDOW_SECONDS = 60.0


@dataclass
class Ticket:
    """One admitted request (or realtime turn): its usage id and what it holds."""

    usage_id: str
    principal: Principal
    endpoint: str
    model: str
    request_id: str | None
    started_at: float
    rate: RateInfo | None = None
    hold_ms: int = 0
    capped: bool = True
    """Whether any cap or balance applies; without one `reserve` needs no transaction."""
    settled: bool = field(default=False)


class Meter:
    def __init__(
        self,
        store: Store,
        prices: Prices,
        *,
        lease_seconds: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.prices = prices
        self.lease_seconds = lease_seconds
        self._clock = clock
        self._ledger = Ledger(store)
        self._expired = select(leases.c.hold_micros).where(
            leases.c.account_id == bindparam("account_id"), leases.c.expires_at <= bindparam("now")
        )

    def admit(
        self, principal: Principal, endpoint: str, model: str = "", request_id: str | None = None
    ) -> Ticket:
        with self.store.transaction() as conn:
            account, key = self._lock(conn, principal)
            # Read under the lock: a time read before it could precede the settling, on another
            # server, of the request whose slot this one takes (recorded spans overlapped 3 > 2 so).
            now = self._clock()
            ticket = Ticket(f"use_{secrets.token_hex(12)}", principal, endpoint, model, request_id, now)
            self._sweep(conn, account["id"], now)
            ticket.rate = self._take_rate(conn, account, key, now)
            self._require_slot(conn, key)
            remaining = quota.left(conn, account, key, now)
            quota.require_some(remaining)
            ticket.capped = remaining.audio_ms is not None or remaining.micros is not None
            conn.execute(
                leases.insert(),
                {
                    "id": ticket.usage_id,
                    "key_id": key["id"],
                    "account_id": account["id"],
                    "request_id": request_id,
                    "endpoint": endpoint,
                    "model": model,
                    "hold_micros": 0,
                    "hold_ms": 0,
                    "started_at": now,
                    "expires_at": now + self.lease_seconds,
                },
            )
            if key["last_used_at"] is None or now - key["last_used_at"] > WINDOW_SECONDS:
                conn.execute(update(api_keys).where(api_keys.c.id == key["id"]).values(last_used_at=now))
        return ticket

    def reserve(self, ticket: Ticket, *, audio_ms: int = 0, characters: int = 0) -> None:
        """Holds the price of the whole request, or refuses it whole (`QuotaExceeded`)."""
        if not ticket.capped:
            ticket.hold_ms = audio_ms  # nothing can refuse it, and a postpaid account holds no money
            return
        now = self._clock()
        price = self.prices.of(ticket.model)
        cost = price.cost(audio_ms, characters)
        with self.store.transaction() as conn:
            account, key = self._lock(conn, ticket.principal)
            self._sweep(conn, account["id"], now)
            quota.require_enough(quota.left(conn, account, key, now), audio_ms, cost, price)
            values = {
                "hold_micros": cost,
                "hold_ms": audio_ms,
                "model": ticket.model,
                "expires_at": now + self.lease_seconds,
            }
            if not conn.execute(update(leases).where(leases.c.id == ticket.usage_id).values(values)).rowcount:
                raise KeyRefused("This request's admission expired; send it again.", code="lease_expired")
            if account["balance_micros"] is not None:
                conn.execute(
                    update(accounts)
                    .where(accounts.c.id == account["id"])
                    .values(
                        balance_micros=accounts.c.balance_micros - cost,
                        held_micros=accounts.c.held_micros + cost,
                    )
                )
        ticket.hold_ms = audio_ms

    def renew(self, ticket: Ticket) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                update(leases)
                .where(leases.c.id == ticket.usage_id)
                .values(expires_at=self._clock() + self.lease_seconds)
            )

    def settle(self, ticket: Ticket, status: str, *, billed_ms: int = 0, characters: int = 0) -> bool:
        """Records the request once (`completed`, `cancelled` or `failed`, the last never charged) and
        gives back what its hold did not cost; False when it was already settled."""
        if ticket.settled:
            return False
        now = self._clock()
        cost = 0 if status == "failed" else self.prices.of(ticket.model).cost(billed_ms, characters)
        with self.store.transaction() as conn:
            account, _ = self._lock(conn, ticket.principal)
            lease = conn.execute(select(leases).where(leases.c.id == ticket.usage_id)).mappings().first()
            balance = account["balance_micros"]
            if lease is None and balance is not None:
                cost = min(cost, max(0, balance))  # its hold was already given back: never overdraw
            row = _event(ticket, status, billed_ms=billed_ms, characters=characters, cost=cost, now=now)
            if inserted := self._ledger.write(conn, row):
                charge(conn, account, int(lease["hold_micros"]) if lease is not None else 0, cost)
            conn.execute(delete(leases).where(leases.c.id == ticket.usage_id))
        ticket.settled = True
        return inserted

    def release(self, ticket: Ticket) -> None:
        """Ends an admission that records nothing itself (a realtime session, whose turns are each
        recorded): its slot and any hold come back, no ledger row is written."""
        with self.store.transaction() as conn:
            account, _ = self._lock(conn, ticket.principal)
            lease = conn.execute(select(leases).where(leases.c.id == ticket.usage_id)).mappings().first()
            if lease is not None:
                charge(conn, account, int(lease["hold_micros"]), 0)
                conn.execute(delete(leases).where(leases.c.id == ticket.usage_id))
        ticket.settled = True

    def record(self, session: Ticket, *, billed_ms: int = 0, characters: int = 0) -> bool:
        """Records one unit of work done within an admitted session (a realtime turn) as its own
        ledger row, charging at most what is left; False once nothing is left, so no more is done."""
        turn = Ticket(
            f"use_{secrets.token_hex(12)}",
            session.principal,
            session.endpoint,
            session.model,
            session.request_id,
            self._clock(),
        )
        turn.hold_ms = billed_ms
        now = self._clock()
        cost = self.prices.of(turn.model).cost(billed_ms, characters)
        with self.store.transaction() as conn:
            account, key = self._lock(conn, turn.principal)
            remaining = quota.left(conn, account, key, now)
            if remaining.micros is not None:
                cost = min(cost, max(0, remaining.micros))  # never overdraw: the turn was already heard
            self._ledger.write(
                conn,
                _event(turn, "completed", billed_ms=billed_ms, characters=characters, cost=cost, now=now),
            )
            charge(conn, account, 0, cost)
            account, key = self._lock(conn, turn.principal)
            after = quota.left(conn, account, key, now)
        return not (
            (after.audio_ms is not None and after.audio_ms <= 0)
            or (after.micros is not None and after.micros <= 0)
        )

    def sweep(self) -> int:
        """Gives back the holds of every expired lease; how many there were."""
        now = self._clock()
        with self.store.transaction() as conn:
            ids = [
                row[0] for row in conn.execute(select(leases.c.account_id).where(leases.c.expires_at <= now))
            ]
            for account_id in sorted(set(ids)):
                self.store.lock(conn, accounts, account_id)
                self._sweep(conn, account_id, now)
        return len(ids)

    def _lock(self, conn: Connection, principal: Principal) -> tuple[Any, Any]:
        # Always the account first, then the key: no two requests can wait on each other.
        account = self.store.lock(conn, accounts, principal.account_id)
        key = self.store.lock(conn, api_keys, principal.key_id)
        if account is None or key is None or key["revoked_at"] is not None:
            raise KeyRefused("This API key has been revoked.", code="invalid_api_key")
        return account, key

    def _sweep(self, conn: Connection, account_id: str, now: float) -> None:
        rows = conn.execute(self._expired, {"account_id": account_id, "now": now}).all()
        if not rows:
            return
        expired = leases.c.expires_at <= now
        held = sum(int(row[0]) for row in rows)
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id, accounts.c.balance_micros.is_not(None))
            .values(
                balance_micros=accounts.c.balance_micros + held, held_micros=accounts.c.held_micros - held
            )
        )
        conn.execute(delete(leases).where(leases.c.account_id == account_id, expired))

    def _take_rate(self, conn: Connection, account: Any, key: Any, now: float) -> RateInfo | None:
        """GCRA: one column per key, exact across processes because the key's row is locked."""
        rpm = key["rpm"]
        if rpm is None:
            return None
        interval = WINDOW_SECONDS / rpm
        tat = max(key["rl_tat"], now) + interval
        if tat - now > WINDOW_SECONDS + 1e-9:
            wait = tat - WINDOW_SECONDS - now
            raise RateLimited(
                f"Rate limit reached for requests in project {account['id']} on requests per min (RPM): "
                f"Limit {rpm}, Used {rpm}, Requested 1. Please try again in {_seconds(wait)}.",
                retry_after=wait,
                rate=RateInfo(rpm, 0, max(key["rl_tat"], now) - now),
            )
        conn.execute(update(api_keys).where(api_keys.c.id == key["id"]).values(rl_tat=tat))
        remaining = math.floor((WINDOW_SECONDS - (tat - now)) / interval + 1e-9)
        return RateInfo(rpm, remaining, tat - now)

    def _require_slot(self, conn: Connection, key: Any) -> None:
        limit = key["max_concurrent"]
        if limit is None:
            return
        live = conn.execute(select(leases.c.id).where(leases.c.key_id == key["id"])).all()
        if len(live) >= limit:
            raise RateLimited(
                f"Too many requests in flight for this key: limit {limit}. Please try again shortly.",
                retry_after=1.0,
            )


def _event(
    ticket: Ticket, status: str, *, billed_ms: int, characters: int, cost: int, now: float
) -> dict[str, Any]:
    return {
        "id": ticket.usage_id,
        "request_id": ticket.request_id,
        "key_id": ticket.principal.key_id,
        "account_id": ticket.principal.account_id,
        "endpoint": ticket.endpoint,
        "model": ticket.model,
        "status": status,
        "audio_ms": ticket.hold_ms,
        "billed_ms": billed_ms,
        "characters": characters,
        "cost_micros": cost,
        "started_at": ticket.started_at,
        "finished_at": now,
    }


def _seconds(seconds: float) -> str:
    return f"{seconds:.3f}".rstrip("0").rstrip(".") + "s"
