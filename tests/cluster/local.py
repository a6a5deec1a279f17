"""A two-node Ray cluster on this one machine, started and stopped by the test that uses it.

Loopback addresses other than 127.0.0.1: Ray rewrites 127.0.0.1 and `localhost` to the machine's
interface address (`services.resolve_ip_for_localhost`), and a head bound there could not be joined.
Each node keeps its own short temp dir (Ray's unix socket paths must stay under about 107 characters),
and `Cluster` stops only its own processes, never anyone else's (`ray stop` would stop them all).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ray
from ray import serve
from ray.cluster_utils import Cluster

HEAD_IP = "127.0.0.2"
WORKER_IP = "127.0.0.3"
OBJECT_STORE_BYTES = 80 * 2**20  # Serve passes no large objects here; Ray's floor is about 75 MiB
REPLICA_ACTOR = "ServeReplica:auricle:Auricle"


def node_args(ip: str, temp_dir: Path) -> dict[str, Any]:
    return {
        "node_ip_address": ip,
        "num_cpus": 1,  # one replica of one worker x one thread per node: the two cores of CI
        "object_store_memory": OBJECT_STORE_BYTES,
        "include_dashboard": False,
        "temp_dir": str(temp_dir),
    }


def start(root: Path) -> tuple[Any, Any]:
    """The head on 127.0.0.2 and one worker on 127.0.0.3, with this process connected as the driver."""
    cluster = Cluster(initialize_head=True, head_node_args=node_args(HEAD_IP, root / "h"))
    worker = cluster.add_node(**node_args(WORKER_IP, root / "w"))
    cluster.wait_for_nodes()
    # The replicas' own lines stay in each node's temp dir (session_latest/logs), out of the test's output.
    ray.init(
        address=cluster.address, _node_ip_address=HEAD_IP, logging_level=logging.WARNING, log_to_driver=False
    )
    return cluster, worker


def stop(cluster: Any) -> None:
    """Serve first (its controller and replicas), then the driver, then the nodes: only ours."""
    try:
        serve.shutdown()  # type: ignore[no-untyped-call]  # Ray leaves it unannotated
    finally:
        ray.shutdown()
        cluster.shutdown()


def replicas() -> list[dict[str, Any]]:
    """Auricle's live replica actors, with their PIDs and node addresses: read from the GCS's actor
    table, which needs no dashboard (`ray.util.state` does)."""
    table: dict[str, Any] = ray._private.state.actors()
    return [
        actor
        for actor in table.values()
        if actor["ActorClassName"] == REPLICA_ACTOR and actor["State"] == "ALIVE"
    ]


def running_replicas() -> int:
    status = serve.status().applications.get("auricle")
    if status is None:
        return 0
    states: dict[Any, int] = status.deployments["Auricle"].replica_states
    return sum(count for state, count in states.items() if state == "RUNNING")


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds until `condition` held; fails after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.1)
    return time.monotonic() - started
