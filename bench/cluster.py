"""`python -m bench.cluster`: what Ray Serve's proxy adds, and what a second replica brings, here.

A two-node Ray cluster on this machine (tests/cluster/local.py: one CPU per node, loopback addresses)
serves tiny.en through Serve's proxy, next to a plain `auricle serve` with the same settings:

- latency: jfk.flac (11 s) sent one at a time, plain and through Serve alternating, medians;
- throughput: the same clip from `--clients` concurrent clients, clips per second, with one replica
  (one worker), two replicas (one per node), and plain `auricle serve` with one and two workers;
- memory: the resident size of a replica, with tiny.en and with the default models (base, tiny.en).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx2
from tests.cluster import local
from tests.conftest import AUDIO_DIR
from tests.support.server import free_port, serve

from auricle.cluster.app import ClusterOptions, application
from auricle.config import Settings
from bench.machine import Machine, Usage, short_name
from bench.phases import progress
from bench.results import write_document
from bench.servers import scrub_environment

TINY = {"models": {"tiny.en": "bundled:tiny.en"}, "default_model": "tiny.en"}
WAYS = (
    "plain `auricle serve`, 1 worker",
    "Serve, 1 replica x 1 worker",
    "Serve, 2 replicas x 1 worker",
    "plain `auricle serve`, 2 workers",
)


def transcribe(http: httpx2.Client, audio: bytes) -> float:
    started = time.perf_counter()
    files = {"file": ("jfk.flac", audio, "audio/flac")}
    response = http.post("/v1/audio/transcriptions", data={"model": "whisper-1"}, files=files)
    response.raise_for_status()
    return time.perf_counter() - started


def throughput(base_url: str, *, audio: bytes, clients: int, requests: int) -> float:
    """Clips per second with `clients` sending at once, `requests` in all (after one warm-up each)."""
    with (
        httpx2.Client(base_url=base_url, timeout=600, trust_env=False) as http,
        ThreadPoolExecutor(clients) as pool,
    ):
        list(pool.map(lambda _: transcribe(http, audio), range(clients)))
        started = time.perf_counter()
        list(pool.map(lambda _: transcribe(http, audio), range(requests)))
        return requests / (time.perf_counter() - started)


@contextmanager
def plain(workers: int) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="auricle-bench-cluster-") as workdir:
        settings = {"models": '{"tiny.en": "bundled:tiny.en"}', "default_model": "tiny.en"}
        with serve(Path(workdir), workers=str(workers), cpu_threads="1", **settings) as server:
            yield server.base_url
            server.terminate()


@contextmanager
def cluster() -> Iterator[str]:
    """Serve's proxy on the head of a two-node cluster; yields its base URL."""
    from ray import serve as ray_serve

    with tempfile.TemporaryDirectory(prefix="abc", dir="/tmp") as root:
        # One proxy in front of both nodes: by default it would send everything to the replica on its
        # own node until that one is full (measured: 2 replicas 1.04x one at 8 clients), so the
        # second replica would go unmeasured.
        os.environ.update(
            {
                "RAY_USAGE_STATS_ENABLED": "0",
                "RAY_TMPDIR": root,
                "RAY_SERVE_PROXY_PREFER_LOCAL_NODE_ROUTING": "0",
            }
        )
        Path(root, "ray").mkdir()
        ray_cluster, _ = local.start(Path(root))
        try:
            port = free_port()
            ray_serve.start(proxy_location="HeadOnly", http_options={"host": "127.0.0.1", "port": port})
            yield f"http://127.0.0.1:{port}"
        finally:
            local.stop(ray_cluster)


def deploy(replicas: int, models: dict[str, Any]) -> None:
    """Deploys (or updates) the app; returns once every replica is RUNNING."""
    from ray import serve as ray_serve

    settings = Settings(workers=1, cpu_threads=1, **models)
    options = ClusterOptions(min_replicas=replicas, max_replicas_per_node=1)
    ray_serve.run(application(settings, options), name="auricle", route_prefix="/")
    local.wait_for(lambda: local.running_replicas() == replicas, 120, f"{replicas} replicas")


def replica_rss_mib() -> list[float]:
    """Resident size of each replica process, from /proc (the nodes are on this machine)."""
    sizes = []
    for actor in local.replicas():
        status = Path(f"/proc/{actor['Pid']}/status").read_text()
        [line] = [line for line in status.splitlines() if line.startswith("VmRSS:")]
        sizes.append(int(line.split()[1]) / 1024)
    return sizes


def latency(direct: str, proxied: str, audio: bytes, rounds: int) -> dict[str, list[float]]:
    """Seconds per request, one at a time, the sides alternating and taking turns to go first (after
    one warm-up request each: the first sets up VAD)."""
    times: dict[str, list[float]] = {"plain": [], "serve": []}
    with (
        httpx2.Client(base_url=direct, timeout=600, trust_env=False) as a,
        httpx2.Client(base_url=proxied, timeout=600, trust_env=False) as b,
    ):
        clients = {"plain": a, "serve": b}
        transcribe(a, audio), transcribe(b, audio)
        for round_ in range(rounds):
            for side in ("plain", "serve") if round_ % 2 == 0 else ("serve", "plain"):
                times[side].append(transcribe(clients[side], audio))
            progress(
                f"latency round {round_ + 1}: {times['plain'][-1]:.3f} s plain, {times['serve'][-1]:.3f} s"
            )
    return times


def measure(args: argparse.Namespace, audio: bytes) -> dict[str, Any]:
    """Each throughput round measures every way once, so a neighbour's load falls on all of them."""
    rate = partial(throughput, audio=audio, clients=args.clients, requests=args.requests)
    rates: dict[str, list[float]] = {name: [] for name in WAYS}
    found: dict[str, Any] = {"throughput": rates, "rss": {}}
    with plain(workers=1) as one, plain(workers=2) as two, cluster() as proxied:
        deploy(1, TINY)
        found["latency"] = latency(one, proxied, audio, args.rounds)
        found["rss"]["tiny.en"] = replica_rss_mib()
        for round_ in range(args.throughput_rounds):
            rates[WAYS[0]].append(rate(one))
            for replicas, way in ((1, WAYS[1]), (2, WAYS[2])):
                deploy(replicas, TINY)
                rates[way].append(rate(proxied))
            rates[WAYS[3]].append(rate(two))
            progress(
                f"throughput round {round_ + 1}: { ({name: round(r[-1], 2) for name, r in rates.items()}) }"
            )
        deploy(1, {})  # the default models: base and tiny.en
        with httpx2.Client(base_url=proxied, timeout=600, trust_env=False) as http:
            transcribe(http, audio)
        found["rss"]["base + tiny.en"] = replica_rss_mib()
    return found


def document(
    started: datetime,
    machine: Machine,
    busy: dict[str, object],
    args: argparse.Namespace,
    found: dict[str, Any],
) -> str:
    plain_s, serve_s = (statistics.median(found["latency"][side]) for side in ("plain", "serve"))
    medians = {name: statistics.median(rates) for name, rates in found["throughput"].items()}
    one = medians[WAYS[1]]
    rows = [
        f"| {name} | {rate:.2f} | {rate / one:.2f} | {_list(found['throughput'][name], 2)} |"
        for name, rate in medians.items()
    ]
    rss = [
        f"| {models} | {', '.join(f'{size:.0f}' for size in sizes)} |"
        for models, sizes in found["rss"].items()
    ]
    return "\n".join(
        [
            f"# Auricle on Ray Serve against plain `auricle serve`, {started:%Y-%m-%d %H:%M} UTC",
            "",
            machine.describe().replace("\n", "  \n") + "  ",
            f"Ray {_ray_version()}; a two-node cluster on this machine (one CPU each, loopback addresses), "
            "Serve's proxy on the head, routing to either node "
            "(`RAY_SERVE_PROXY_PREFER_LOCAL_NODE_ROUTING=0`); processes other than the bench and its "
            f"servers, Ray's own included, took {busy['other_processes_cpu_fraction']:.0%} of the CPU during "
            f"the run (load average {_loads(busy['loadavg_start'])} -> {_loads(busy['loadavg_end'])}).",
            "",
            f"## Latency: jfk.flac (11 s), tiny.en, one request at a time, medians of {args.rounds} "
            "alternating rounds",
            "",
            "| | median (s) | all rounds (s) |",
            "| --- | ---: | --- |",
            f"| plain `auricle serve` (1 worker) | {plain_s:.3f} | {_list(found['latency']['plain'])} |",
            f"| through Serve's proxy (1 replica) | {serve_s:.3f} | {_list(found['latency']['serve'])} |",
            f"| added by the proxy | {serve_s - plain_s:+.3f} ({serve_s / plain_s - 1:+.1%}) | |",
            "",
            f"## Throughput: {args.clients} clients at once, {args.requests} requests of jfk.flac, tiny.en, "
            f"medians of {args.throughput_rounds} rounds (each round measures every row once)",
            "",
            "| | clips/s | against 1 replica | all rounds |",
            "| --- | ---: | ---: | --- |",
            *rows,
            "",
            "## Memory: resident size of a replica process (MiB), idle after its first transcriptions",
            "",
            "| models | RSS per replica (MiB) |",
            "| --- | --- |",
            *rss,
            "",
        ]
    )


def _list(values: list[float], digits: int = 3) -> str:
    return ", ".join(f"{value:.{digits}f}" for value in values)


def _loads(loadavg: object) -> str:
    return " ".join(f"{load:.2f}" for load in loadavg) if isinstance(loadavg, tuple) else str(loadavg)


def _ray_version() -> str:
    import ray

    return str(ray.__version__)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__)
    parser.add_argument("--rounds", type=int, default=16, help="latency rounds")
    parser.add_argument("--throughput-rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=32)
    args = parser.parse_args(argv)
    scrub_environment()
    started, machine, usage = datetime.now(UTC), Machine.here(), Usage.now()
    found = measure(args, (AUDIO_DIR / "jfk.flac").read_bytes())
    text = document(started, machine, Usage.now().since(usage), args, found)
    print(text)
    print(write_document(text, f"{started:%Y-%m-%d}-cluster-{short_name(machine.model_name)}"))


if __name__ == "__main__":
    main()
