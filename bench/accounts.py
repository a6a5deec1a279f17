"""`python -m bench.accounts`: what metering costs. The added latency per request (SQLite and
PostgreSQL, against metering off) through the real HTTP app on the fake engine, so the difference is
the accounts database alone; and admissions per second (admit + reserve + settle) for one key shared
by several threads and for one key per thread. PostgreSQL is started from Debian's binaries as the
tests start it, and skipped when they are missing."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import AsyncExitStack, ExitStack
from pathlib import Path
from typing import Any

import httpx2
from tests.fakes import fake_registry_factory
from tests.support.postgres import pg_bin, postgres_server
from tests.support.tone import tone_wav

from auricle.accounts import keys
from auricle.accounts.meter import Meter
from auricle.accounts.prices import Prices
from auricle.accounts.store import Store
from auricle.api.app import create_app
from auricle.config import Settings
from bench import results
from bench.machine import Machine, short_name

KEY = "sk-bench-0123456789abcdef"
PRICES = {"*": {"audio_second": 0.0001}}


async def _latencies(modes: dict[str, Settings], requests: int) -> dict[str, list[float]]:
    """Every mode's app alive at once, asked in turn, so a neighbour's load on the machine falls on all."""
    audio = tone_wav(1.0)
    took: dict[str, list[float]] = {name: [] for name in modes}
    async with AsyncExitStack() as stack:
        clients = {}
        for name, settings in modes.items():
            app = create_app(settings, fake_registry_factory())
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = httpx2.ASGITransport(app)
            clients[name] = await stack.enter_async_context(
                httpx2.AsyncClient(transport=transport, base_url="http://bench")
            )
        for index in range(requests + 10):
            for name, http in clients.items():
                started = time.perf_counter()
                answer = await http.post(
                    "/v1/audio/transcriptions",
                    headers={"authorization": f"Bearer {KEY}"},
                    files={"file": ("a.wav", audio, "audio/wav")},
                    data={"model": "base"},
                )
                assert answer.status_code == 200, answer.text
                if index >= 10:  # the first ones warm imports and pools
                    took[name].append((time.perf_counter() - started) * 1000)
    return took


def _admissions(url: str, threads: int, seconds: float, shared_key: bool) -> float:
    store = Store(url)
    store.migrate()
    meter = Meter(store, Prices(PRICES))
    account = keys.create_account(store, "bench", balance_micros=10**15)
    principals = []
    for _ in range(1 if shared_key else threads):
        _, value = keys.create_key(store, account, "bench")
        principals.append(keys.authenticate(store, value, frozenset()))
    done = [0] * threads
    stop = time.monotonic() + seconds

    def work(index: int) -> None:
        principal = principals[0 if shared_key else index]
        while time.monotonic() < stop:
            ticket = meter.admit(principal, "transcriptions", "base")
            meter.reserve(ticket, audio_ms=2000)
            meter.settle(ticket, "completed", billed_ms=2000)
            done[index] += 1

    workers = [threading.Thread(target=work, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    store.close()
    return sum(done) / seconds


def _summary(took: list[float]) -> dict[str, float]:
    ordered = sorted(took)
    return {"median_ms": statistics.median(ordered), "p95_ms": ordered[int(len(ordered) * 0.95) - 1]}


def run(requests: int, seconds: float, threads: int) -> dict[str, Any]:
    data = Path(tempfile.mkdtemp(prefix="bench-accounts"))
    backends: dict[str, Callable[[str], str]] = {"sqlite": lambda name: f"sqlite:///{data / name}.db"}
    with ExitStack() as stack:
        if pg_bin() is not None:
            server = stack.enter_context(postgres_server())
            backends["postgresql"] = lambda name: _pg_database(server, name)
        urls = {"off": "none", **{name: url(f"latency_{name}") for name, url in backends.items()}}
        modes = {
            name: Settings(cache_dir=data, data_dir=data, api_keys=[KEY], prices=PRICES, database_url=url)
            for name, url in urls.items()
        }
        latency = {name: _summary(took) for name, took in asyncio.run(_latencies(modes, requests)).items()}
        admissions = {
            name: {
                "one_key": _admissions(url(f"one_{name}"), threads, seconds, shared_key=True),
                "many_keys": _admissions(url(f"many_{name}"), threads, seconds, shared_key=False),
            }
            for name, url in backends.items()
        }
    return {"requests": requests, "threads": threads, "latency": latency, "admissions_per_second": admissions}


def _pg_database(server: str, name: str) -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine(server.replace("/auricle?", "/postgres?"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.replace("/auricle?", f"/{name}?")


def markdown(record: dict[str, Any], machine: Machine) -> str:
    latency = record["latency"]
    off = latency["off"]["median_ms"]
    lines = [
        "# Accounts: what metering costs per request",
        "",
        f"{machine.model_name}, {machine.cores} cores; commit {machine.versions['commit']}.",
        f"`python -m bench.accounts`: {record['requests']} sequential 1 s transcriptions per mode, the modes",
        "asked in turn, through the HTTP app on the fake engine (so the difference is the accounts",
        "database alone); admissions = admit + reserve + settle, each its own",
        f"transaction, from {record['threads']} threads. PostgreSQL: Debian's, unix socket, fsync off.",
        "",
        "| metering | median ms | p95 ms | added (median) |",
        "|---|---|---|---|",
    ]
    for name, figures in latency.items():
        added = "—" if name == "off" else f"{figures['median_ms'] - off:+.2f} ms"
        lines.append(f"| {name} | {figures['median_ms']:.2f} | {figures['p95_ms']:.2f} | {added} |")
    lines += ["", "| database | admissions/s, one key | admissions/s, a key per thread |", "|---|---|---|"]
    for name, figures in record["admissions_per_second"].items():
        lines.append(f"| {name} | {figures['one_key']:.0f} | {figures['many_keys']:.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.accounts", description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="a short run, written as .tmp")
    args = parser.parse_args()
    requests, seconds = (40, 1.0) if args.quick else (args.requests, args.seconds)
    record = run(requests, seconds, args.threads)
    machine = Machine.here()
    name = f"{time.strftime('%Y-%m-%d')}-accounts-{short_name(machine.model_name)}"
    text = markdown(record, machine)
    for path in results.write(text, {**record, "machine": machine.model_name}, name, args.quick):
        print(path)
    print(text)


if __name__ == "__main__":
    main()
