"""`Usage`, the interface the serving code calls: what each way of ending a request is billed."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from auricle.accounts import keys
from auricle.accounts.meter import Meter
from auricle.accounts.prices import Prices
from auricle.accounts.schema import usage_events
from auricle.accounts.store import Store
from auricle.accounts.usage import Usage

pytestmark = pytest.mark.anyio
PRICES = Prices({"*": {"audio_second": 0.001, "character": 0.00001}})


def _usage(store: Store) -> Usage:
    account = keys.create_account(store, "acme", balance_micros=1_000_000)
    _, value = keys.create_key(store, account, "k")
    meter = Meter(store, PRICES)
    return Usage(meter, meter.admit(keys.authenticate(store, value, frozenset()), "speech", "tts"))


def _rows(store: Store) -> list[tuple[str, int, int, int]]:
    with store.transaction() as conn:
        query = select(
            usage_events.c.status,
            usage_events.c.billed_ms,
            usage_events.c.characters,
            usage_events.c.cost_micros,
        )
        return [tuple(row) for row in conn.execute(query)]


async def test_speech_pays_for_its_characters_once(store: Store) -> None:
    usage = _usage(store)
    usage.reserve_characters(120)
    await usage.complete()
    await usage.complete()
    assert _rows(store) == [("completed", 0, 120, 1_200)]


async def test_audio_is_billed_in_whole_seconds_and_a_cancel_by_what_was_sent(store: Store) -> None:
    usage = _usage(store)
    usage.reserve_samples(np.zeros(16_000 * 5 + 1, np.float32))  # a sample over 5 s: 6 s held
    await usage.cancel(delivered_seconds=2.2)
    assert _rows(store) == [("cancelled", 3_000, 0, 3_000)]


async def test_a_failure_pays_nothing(store: Store) -> None:
    usage = _usage(store)
    usage.reserve_samples(np.zeros(16_000 * 4, np.float32))
    await usage.fail()
    assert _rows(store) == [("failed", 0, 0, 0)]


async def test_a_server_that_meters_nothing_does_nothing() -> None:
    usage = Usage()
    usage.reserve_characters(10)
    await usage.complete()
    assert not usage.metered
