"""Admission, reservation and settlement on both databases: exact limits, holds, exactly-once settles."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from auricle.accounts import keys
from auricle.accounts.errors import KeyRefused, QuotaExceeded, RateLimited
from auricle.accounts.meter import Meter
from auricle.accounts.prices import Prices
from auricle.accounts.schema import accounts, credits, leases, metadata, usage_daily, usage_events
from auricle.accounts.store import Store

PRICES = Prices({"*": {"audio_second": 0.001}})  # 1,000 micro-units a second


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _key(store: Store, limits: keys.Limits | None = None, balance: int | None = None) -> keys.Principal:
    account = keys.create_account(store, "acme", balance_micros=balance)
    _, value = keys.create_key(store, account, "k", limits or keys.Limits())
    return keys.authenticate(store, value, frozenset())


def conserved(store: Store, account_id: str) -> None:
    """balance + held + every cost == every credit; the ledger and the rollup agree."""
    with store.transaction() as conn:
        account = conn.execute(select(accounts).where(accounts.c.id == account_id)).mappings().one()
        credited = conn.execute(
            select(func.sum(credits.c.amount_micros)).where(credits.c.account_id == account_id)
        ).scalar_one()
        ledger = conn.execute(
            select(func.sum(usage_events.c.cost_micros), func.count()).where(
                usage_events.c.account_id == account_id
            )
        ).one()
        rollup = conn.execute(
            select(
                func.sum(usage_daily.c.cost_micros),
                func.sum(
                    usage_daily.c.requests + usage_daily.c.failed_requests + usage_daily.c.cancelled_requests
                ),
            ).where(usage_daily.c.account_id == account_id)
        ).one()
    assert account["balance_micros"] >= 0
    assert account["balance_micros"] + account["held_micros"] + (ledger[0] or 0) == credited
    assert (int(rollup[0] or 0), int(rollup[1] or 0)) == (int(ledger[0] or 0), ledger[1])


def test_the_migrations_match_the_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_exactly_the_rpm_limit_is_admitted_and_headers_count_down(store: Store) -> None:
    principal = _key(store, keys.Limits(rpm=5))
    meter = Meter(store, PRICES, clock=Clock())
    tickets = [meter.admit(principal, "transcriptions") for _ in range(5)]
    assert [ticket.rate.remaining for ticket in tickets if ticket.rate] == [4, 3, 2, 1, 0]
    with pytest.raises(RateLimited) as refused:
        meter.admit(principal, "transcriptions")
    assert refused.value.code == "rate_limit_exceeded"
    assert refused.value.retry_after_ms == 12_000  # one request's share of the minute comes back


def test_in_flight_limit_frees_a_slot_on_settle(store: Store) -> None:
    principal = _key(store, keys.Limits(max_concurrent=2))
    meter = Meter(store, PRICES)
    first, _ = meter.admit(principal, "transcriptions"), meter.admit(principal, "transcriptions")
    with pytest.raises(RateLimited, match="in flight"):
        meter.admit(principal, "transcriptions")
    meter.settle(first, "completed")
    meter.admit(principal, "transcriptions")


def test_a_file_longer_than_what_remains_is_refused_whole(store: Store) -> None:
    principal = _key(store, balance=5_500)  # 5.5 s at 1,000 a second
    meter = Meter(store, PRICES)
    ticket = meter.admit(principal, "transcriptions")
    with pytest.raises(QuotaExceeded, match="needs 8 s of audio; 5 s remain"):
        meter.reserve(ticket, audio_ms=8_000)
    meter.settle(ticket, "failed")
    conserved(store, principal.account_id)
    ticket = meter.admit(principal, "transcriptions")
    meter.reserve(ticket, audio_ms=5_000)
    assert meter.settle(ticket, "completed", billed_ms=5_000)
    with pytest.raises(QuotaExceeded):  # 500 left: not a whole second, so nothing more
        meter.reserve(meter.admit(principal, "transcriptions"), audio_ms=1_000)


def test_monthly_seconds_cap_counts_holds_and_usage(store: Store) -> None:
    principal = _key(store, keys.Limits(monthly_audio_seconds=10))
    meter = Meter(store, PRICES)
    held = meter.admit(principal, "transcriptions")
    meter.reserve(held, audio_ms=6_000)
    with pytest.raises(QuotaExceeded, match="needs 5 s of audio; 4 s remain"):
        meter.reserve(meter.admit(principal, "transcriptions"), audio_ms=5_000)
    meter.settle(held, "completed", billed_ms=6_000)
    with pytest.raises(QuotaExceeded, match="4 s remain"):
        meter.reserve(meter.admit(principal, "transcriptions"), audio_ms=5_000)


def test_settle_counts_once_and_failures_pay_nothing(store: Store) -> None:
    principal = _key(store, balance=100_000)
    meter = Meter(store, PRICES)
    ticket = meter.admit(principal, "transcriptions")
    meter.reserve(ticket, audio_ms=3_000)
    assert meter.settle(ticket, "completed", billed_ms=3_000)
    ticket.settled = False  # as if another path tried again
    assert not meter.settle(ticket, "completed", billed_ms=3_000)
    failed = meter.admit(principal, "transcriptions")
    meter.reserve(failed, audio_ms=3_000)
    meter.settle(failed, "failed", billed_ms=3_000)
    cancelled = meter.admit(principal, "transcriptions")
    meter.reserve(cancelled, audio_ms=9_000)
    meter.settle(cancelled, "cancelled", billed_ms=2_000)
    with store.transaction() as conn:
        balance = conn.execute(select(accounts.c.balance_micros)).scalar_one()
    assert balance == 100_000 - 3_000 - 2_000
    conserved(store, principal.account_id)


def test_an_expired_lease_gives_its_hold_and_slot_back(store: Store) -> None:
    clock = Clock()
    principal = _key(store, keys.Limits(max_concurrent=1), balance=10_000)
    meter = Meter(store, PRICES, lease_seconds=60, clock=clock)
    ticket = meter.admit(principal, "transcriptions")  # its replica dies here, holding 4 s
    meter.reserve(ticket, audio_ms=4_000)
    with pytest.raises(RateLimited):
        meter.admit(principal, "transcriptions")
    clock.now += 61
    assert meter.sweep() == 1
    with store.transaction() as conn:
        assert conn.execute(select(accounts.c.balance_micros, accounts.c.held_micros)).one() == (10_000, 0)
        assert conn.execute(select(func.count()).select_from(leases)).scalar_one() == 0
    meter.admit(principal, "transcriptions")
    conserved(store, principal.account_id)


def test_a_revoked_or_expired_key_is_refused_at_once(store: Store) -> None:
    account = keys.create_account(store, "acme")
    key_id, value = keys.create_key(store, account, "k")
    principal = keys.authenticate(store, value, frozenset())
    assert keys.revoke(store, key_id)
    with pytest.raises(KeyRefused, match="Incorrect API key"):
        keys.authenticate(store, value, frozenset())
    with pytest.raises(KeyRefused):
        Meter(store, PRICES).admit(principal, "transcriptions")
    _, expired = keys.create_key(store, account, "old", keys.Limits(expires_at=1.0))
    with pytest.raises(KeyRefused):
        keys.authenticate(store, expired, frozenset())


def test_a_static_key_counts_only_while_configured(store: Store) -> None:
    keys.ensure_static_keys(store, ["static-key-abcdefgh"])
    digest = frozenset({keys.digest("static-key-abcdefgh")})
    assert keys.authenticate(store, "static-key-abcdefgh", digest).account_id == keys.STATIC_ACCOUNT
    with pytest.raises(KeyRefused):
        keys.authenticate(store, "static-key-abcdefgh", frozenset())
