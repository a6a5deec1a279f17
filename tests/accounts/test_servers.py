"""Two server processes on one database, under concurrent load, on SQLite and on PostgreSQL.

The servers run the fake engine (tests/support/fake_server.py): what is checked is counting, not
recognition. Every figure is read back from the database itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, suppress
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import func, select

from auricle.accounts import keys
from auricle.accounts.meter import Meter
from auricle.accounts.prices import Prices
from auricle.accounts.schema import accounts, leases, usage_events
from auricle.accounts.store import Store
from tests.accounts.test_meter import conserved
from tests.support.server import Server, serve
from tests.support.tone import tone_wav

PRICES = '{"*": {"audio_second": 0.001}}'  # 1,000 micro-units a second: a 2 s file costs 2,000


AUDIO = tone_wav(2.0)


def start(workdir: Path, url: str, seconds: float, stack: ExitStack) -> Server:
    workdir.mkdir(exist_ok=True)
    settings = {"database_url": url, "prices": PRICES, "lease_seconds": "2", "max_queue": "100"}
    os.environ["FAKE_ENGINE_SECONDS"] = str(seconds)
    try:
        return stack.enter_context(serve(workdir, module="tests.support.fake_server", **settings))
    finally:
        del os.environ["FAKE_ENGINE_SECONDS"]


def transcribe(server: Server, key: str) -> httpx2.Response:
    return httpx2.post(
        f"{server.base_url}/v1/audio/transcriptions",
        headers={"authorization": f"Bearer {key}"},
        files={"file": ("a.wav", AUDIO, "audio/wav")},
        data={"model": "base", "response_format": "json"},
        timeout=60,
    )


def outcome(response: httpx2.Response) -> str:
    if response.status_code == 200:
        return "ok"
    return str(response.json()["error"]["code"])


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store(database_url)
    store.migrate()
    yield store
    store.close()


def test_two_servers_count_every_request_exactly(store: Store, database_url: str, tmp_path: Path) -> None:
    rated = keys.create_account(store, "rated")
    _, rpm_key = keys.create_key(store, rated, "rpm", keys.Limits(rpm=10))
    prepaid = keys.create_account(store, "prepaid", balance_micros=10_000)  # five 2 s requests
    _, paid_key = keys.create_key(store, prepaid, "paid", keys.Limits(max_concurrent=2))
    with ExitStack() as stack:
        servers = [start(tmp_path / name, database_url, 0.1, stack) for name in ("a", "b")]
        with ThreadPoolExecutor(8) as pool:
            # 24 at once against 10 a minute: the minute refills one every 6 s, longer than this burst.
            rpm = Counter(pool.map(lambda i: outcome(transcribe(servers[i % 2], rpm_key)), range(24)))
            paid = Counter(
                item
                for run in pool.map(lambda i: _until_broke(servers[i % 2], paid_key), range(8))
                for item in run
            )
    assert rpm == {"ok": 10, "rate_limit_exceeded": 14}
    assert paid["ok"] == 5, paid  # exactly what the balance pays for, spread over both servers
    conserved(store, prepaid)
    with store.transaction() as conn:
        assert (
            conn.execute(select(accounts.c.balance_micros).where(accounts.c.id == prepaid)).scalar_one() == 0
        )
        spans = conn.execute(
            select(usage_events.c.started_at, usage_events.c.finished_at).where(
                usage_events.c.account_id == prepaid
            )
        ).all()
    assert _most_at_once([(float(start), float(end)) for start, end in spans]) <= 2


def _until_broke(server: Server, key: str) -> list[str]:
    """Sends until the account is out of quota, waiting out in-flight refusals."""
    seen = []
    while (result := outcome(transcribe(server, key))) != "insufficient_quota":
        seen.append(result)
        if result == "rate_limit_exceeded":
            time.sleep(0.05)
    return seen


def _most_at_once(spans: list[tuple[float, float]]) -> int:
    edges = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    level = most = 0
    for _, step in edges:
        level += step
        most = max(most, level)
    return most


def test_kill_revoke_and_restart(store: Store, database_url: str, tmp_path: Path) -> None:
    account = keys.create_account(store, "acme", balance_micros=100_000)
    _, value = keys.create_key(store, account, "k", keys.Limits(rpm=100))
    with ExitStack() as stack:
        doomed = start(tmp_path / "slow", database_url, 30, stack)
        steady = start(tmp_path / "fast", database_url, 0, stack)
        other = start(tmp_path / "other", database_url, 0, stack)
        threading.Thread(target=lambda: _ignore_errors(doomed, value), daemon=True).start()
        _wait_for_hold(store)
        doomed.process.kill()  # SIGKILL: its request is never settled
        doomed.process.wait()
        conserved(store, account)
        time.sleep(2.5)  # the lease runs out; the next admission anywhere sweeps it
        assert outcome(transcribe(steady, value)) == "ok"
        with store.transaction() as conn:
            assert (
                conn.execute(select(accounts.c.held_micros).where(accounts.c.id == account)).scalar_one() == 0
            )
            assert conn.execute(select(func.count()).select_from(leases)).scalar_one() == 0
        conserved(store, account)

        created = _cli(database_url, "keys", "create", "--account", account, "--json", "--rpm", "7")
        fresh = json.loads(created)
        assert outcome(transcribe(steady, fresh["value"])) == "ok"
        assert outcome(transcribe(other, fresh["value"])) == "ok"
        _cli(database_url, "keys", "revoke", fresh["id"])
        # Refused on its next request by every running server, none restarted.
        assert transcribe(steady, fresh["value"]).status_code == 401
        assert transcribe(other, fresh["value"]).status_code == 401
        before = _figures(store, account)
        steady.terminate()
        again = start(tmp_path / "again", database_url, 0, stack)
        assert transcribe(again, fresh["value"]).status_code == 401
        assert _figures(store, account) == before
        assert outcome(transcribe(again, value)) == "ok"


def _ignore_errors(server: Server, key: str) -> None:
    with suppress(httpx2.TransportError):
        transcribe(server, key)


def _wait_for_hold(store: Store) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with store.transaction() as conn:
            if conn.execute(select(func.sum(leases.c.hold_micros))).scalar_one():
                return
        time.sleep(0.05)
    raise AssertionError("the slow server never held anything")


def _figures(store: Store, account: str) -> tuple[object, ...]:
    Meter(store, Prices()).sweep()
    with store.transaction() as conn:
        balance = conn.execute(select(accounts.c.balance_micros).where(accounts.c.id == account)).scalar_one()
        ledger = conn.execute(select(func.count(), func.sum(usage_events.c.cost_micros))).one()
    limits = sorted(
        (row["id"], row["rpm"], row["max_concurrent"], row["revoked_at"] is not None)
        for row in keys.list_keys(store)
    )
    return balance, tuple(ledger), tuple(limits)


def _cli(url: str, *args: str) -> str:
    env = {**os.environ, "AURICLE_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "auricle", *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout
