"""Auricle on a two-node Ray Serve cluster on this machine: the same answers through Serve's proxy, 429
when full, and every request answered through a killed replica and a node that leaves and comes back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from websockets.sync.client import connect

from auricle.cluster.app import ClusterOptions, application
from auricle.config import Settings
from tests.cluster import local
from tests.conftest import JFK_TEXT
from tests.support.server import free_port

pytestmark = pytest.mark.model

TINY_ONLY: dict[str, Any] = {"models": {"tiny.en": "bundled:tiny.en"}, "default_model": "tiny.en"}
KEY_PHRASE = "ask not what your country can do for you"
LOAD_THREADS = 6  # more than one replica takes (3), fewer than one replica and its queue hold (3 + 6)


@dataclass
class OnRay:
    base_url: str
    cluster: Any
    worker: Any
    root: Path
    started: float


@pytest.fixture(scope="module")
def on_ray(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Iterator[OnRay]:
    """tiny.en on two replicas, one per node, behind one proxy on the head (the test's one address)."""
    from ray import serve

    started = time.monotonic()
    root = tmp_path_factory.mktemp("ray")
    (root / "ray").mkdir()
    sigterm = signal.getsignal(signal.SIGTERM)  # `ray.init` replaces it with one that exits
    with pytest.MonkeyPatch.context() as env:
        env.setenv("RAY_USAGE_STATS_ENABLED", "0")
        env.setenv("RAY_TMPDIR", str(root))  # where `Cluster` notes the address, instead of /tmp/ray
        cluster, worker = local.start(root)
        try:
            port = free_port()
            serve.start(proxy_location="HeadOnly", http_options={"host": "127.0.0.1", "port": port})
            settings = Settings(
                **TINY_ONLY,
                workers=1,
                cpu_threads=1,
                concurrency=2,
                max_queue=3,
                retry_after_seconds=1,
                cache_dir=model_cache,
            )
            options = ClusterOptions(min_replicas=2, max_replicas_per_node=1, health_check_period_s=1)
            serve.run(application(settings, options), name="auricle", route_prefix="/")
            yield OnRay(f"http://127.0.0.1:{port}", cluster, worker, root, started)
        finally:
            local.stop(cluster)
            signal.signal(signal.SIGTERM, sigterm)


def transcribe(http: httpx2.Client, audio: bytes, **fields: str) -> httpx2.Response:
    data = {"model": "tiny.en", **fields}
    return http.post("/v1/audio/transcriptions", data=data, files={"file": ("jfk.flac", audio)})


def test_answers_as_plain_auricle_does(on_ray: OnRay, jfk_flac: bytes) -> None:
    with httpx2.Client(base_url=on_ray.base_url, timeout=60) as http:
        response = transcribe(http, jfk_flac)
        assert response.status_code == 200, response.text
        assert KEY_PHRASE in response.json()["text"].lower()
        # Serve's proxy adds its id to every answer; Auricle adopted it and added none of its own.
        assert len(response.headers.get_list("x-request-id")) == 1
        assert "openai-processing-ms" in response.headers
        mine = http.get("/v1/models", headers={"x-request-id": "client-chosen-id"})
        assert mine.headers.get_list("x-request-id") == ["client-chosen-id"]
        assert http.get("/ready").status_code == 200

        refused = http.post(
            "/v1/audio/transcriptions",
            data={"model": "tiny.en"},
            files={"file": ("notes.txt", b"\x00\x01garbage" * 100)},
        )
        assert refused.status_code == 400
        assert refused.headers["content-type"] == "application/json"
        assert refused.json()["error"]["param"] == "file"
        assert set(refused.json()["error"]) == {"message", "type", "param", "code"}
        assert len(refused.headers.get_list("x-request-id")) == 1


def test_a_stream_arrives_as_events(on_ray: OnRay, jfk_flac: bytes) -> None:
    with (
        httpx2.Client(base_url=on_ray.base_url, timeout=60) as http,
        http.stream(
            "POST",
            "/v1/audio/transcriptions",
            data={"model": "tiny.en", "stream": "true"},
            files={"file": ("jfk.flac", jfk_flac)},
        ) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [json.loads(line[5:]) for line in response.iter_lines() if line.startswith("data:")]
    assert [event["type"] for event in events][-1] == "transcript.text.done"
    assert "transcript.text.delta" in {event["type"] for event in events}
    assert KEY_PHRASE in events[-1]["text"].lower()


def test_a_realtime_socket_opens(on_ray: OnRay) -> None:
    url = on_ray.base_url.replace("http://", "ws://") + "/v1/realtime?intent=transcription"
    with connect(url, open_timeout=30) as socket:
        assert json.loads(socket.recv(timeout=30))["type"] == "session.created"


def test_full_replicas_answer_429_with_retry_after(on_ray: OnRay, jfk_flac: bytes) -> None:
    # 2 replicas x 3 requests at once, and 6 waiting at the proxy: 20 at once overflow them.
    with httpx2.Client(base_url=on_ray.base_url, timeout=120) as http, ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(lambda _: transcribe(http, jfk_flac), range(20)))
    statuses = [response.status_code for response in responses]
    assert set(statuses) <= {200, 429}, statuses  # never Serve's default 503
    busy = [response for response in responses if response.status_code == 429]
    assert busy, statuses
    assert all(response.headers["retry-after"] == "1" for response in busy)


@dataclass
class Load:
    """SDK requests from several threads, with the SDK's default retries, until told to stop."""

    base_url: str
    audio: bytes
    stop: threading.Event = field(default_factory=threading.Event)
    texts: list[str] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    calls: int = 0
    attempts: int = 0
    failed_attempts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Counts every attempt the SDK makes, retries included (max_retries left at its default, 2).
        self.http = httpx2.Client(timeout=120, event_hooks={"response": [self.saw]})
        self.sdk = openai.OpenAI(base_url=self.base_url + "/v1", api_key="not-needed", http_client=self.http)

    def run(self) -> None:
        while not self.stop.is_set():
            self.calls += 1  # one thread at a time per call: the GIL makes += safe enough for a count
            try:
                result = self.sdk.audio.transcriptions.create(model="tiny.en", file=("jfk.flac", self.audio))
                self.texts.append(result.text)
            except Exception as error:  # every one is a test failure, reported below
                self.errors.append(error)

    def saw(self, response: httpx2.Response) -> None:
        self.attempts += 1
        if response.status_code >= 400:
            self.failed_attempts.append(response.status_code)


def test_every_request_answered_through_faults(
    on_ray: OnRay, jfk_flac: bytes, record_figure: Callable[[str], None]
) -> None:
    load = Load(on_ray.base_url, jfk_flac)
    with load.http, ThreadPoolExecutor(LOAD_THREADS) as pool:
        runs = [pool.submit(load.run) for _ in range(LOAD_THREADS)]
        try:
            local.wait_for(lambda: len(load.texts) >= 4, 60, "the load under way")
            replaced = _kill_a_busy_replica()
            time.sleep(1)
            left, rejoined = _remove_and_readd_the_worker(on_ray)
            time.sleep(2)
        finally:
            load.stop.set()
        for run in runs:
            run.result()

    assert not load.errors, load.errors
    wrong = [text for text in load.texts if KEY_PHRASE not in text.lower()]
    assert not wrong, wrong
    assert len(load.texts) == load.calls
    retried = load.attempts - load.calls
    record_figure(
        f"ray: {load.calls} SDK requests sent, {len(load.texts)} answered correctly, {retried} retried "
        f"(failed attempts: {sorted(load.failed_attempts)}); expected text {JFK_TEXT[:20]!r}..."
    )
    record_figure(f"ray: killed replica replaced (RUNNING) after {replaced:.1f} s")
    record_figure(f"ray: node removed, noticed after {left:.1f} s; back, 2 replicas after {rejoined:.1f} s")


def _kill_a_busy_replica() -> float:
    """SIGKILLs the head node's replica (routing prefers it, so it is busy); seconds until replaced."""
    [victim] = [actor for actor in local.replicas() if actor["Address"]["IPAddress"] == local.HEAD_IP]
    os.kill(victim["Pid"], signal.SIGKILL)
    killed = time.monotonic()

    def replaced() -> bool:
        pids = {actor["Pid"] for actor in local.replicas()}
        return victim["Pid"] not in pids and len(pids) == 2 and local.running_replicas() == 2

    local.wait_for(replaced, 90, "a replacement replica RUNNING")
    return time.monotonic() - killed


def _remove_and_readd_the_worker(on_ray: OnRay) -> tuple[float, float]:
    """The worker node dies without warning, then comes back: seconds to notice, seconds to recover."""
    on_ray.cluster.remove_node(on_ray.worker, allow_graceful=False)
    left = local.wait_for(lambda: local.running_replicas() == 1, 90, "the lost replica noticed")
    back = time.monotonic()
    on_ray.worker = on_ray.cluster.add_node(**local.node_args(local.WORKER_IP, on_ray.root / "w2"))
    local.wait_for(lambda: local.running_replicas() == 2, 120, "two replicas RUNNING again")
    return left, time.monotonic() - back


def test_autoscaling_follows_requests_in_progress(
    on_ray: OnRay, jfk_flac: bytes, model_cache: Path, record_figure: Callable[[str], None]
) -> None:
    """One replica until requests queue, two under load, one again after it (replaces the app)."""
    from ray import serve

    serve.delete("auricle")
    settings = Settings(**TINY_ONLY, workers=1, concurrency=2, cache_dir=model_cache)
    options = ClusterOptions(
        min_replicas=1, max_replicas=2, max_replicas_per_node=1, upscale_delay_s=2, downscale_delay_s=5
    )
    serve.run(application(settings, options), name="auricle", route_prefix="/")
    assert local.running_replicas() == 1
    load = Load(on_ray.base_url, jfk_flac)
    with load.http, ThreadPoolExecutor(LOAD_THREADS) as pool:
        runs = [pool.submit(load.run) for _ in range(LOAD_THREADS)]
        try:
            up = local.wait_for(lambda: local.running_replicas() == 2, 90, "a second replica under load")
        finally:
            load.stop.set()
        for run in runs:
            run.result()
    down = local.wait_for(lambda: len(local.replicas()) == 1, 90, "back to one replica")
    assert not load.errors, load.errors
    record_figure(f"ray: autoscaled 1 -> 2 replicas {up:.1f} s into the load, back to 1 {down:.1f} s after")


def test_auricle_serve_ray_deploys_and_takes_its_app_down(
    on_ray: OnRay, jfk_flac: bytes, tmp_path: Path, record_figure: Callable[[str], None]
) -> None:
    """The CLI on the same cluster (last: it replaces the fixture's app of the same name)."""
    from ray import serve

    only_tiny = {"AURICLE_MODELS": '{"tiny.en": "bundled:tiny.en"}', "AURICLE_DEFAULT_MODEL": "tiny.en"}
    command = ["serve", "--ray", on_ray.cluster.address, "--workers", "1", "--replicas", "1"]
    log = tmp_path / "serve.log"
    with (
        log.open("w") as sink,
        subprocess.Popen(
            [sys.executable, "-m", "auricle", *command], env={**os.environ, **only_tiny}, stderr=sink
        ) as process,
    ):
        try:
            # The launcher says so once `serve.run` has returned: every replica RUNNING.
            local.wait_for(lambda: "auricle.cluster.launcher: serving" in log.read_text(), 120, "deployed")
            with httpx2.Client(base_url=on_ray.base_url, timeout=60) as http:
                response = transcribe(http, jfk_flac)
            assert response.status_code == 200
            assert KEY_PHRASE in response.json()["text"].lower()
            process.send_signal(signal.SIGTERM)
            assert process.wait(60) == 0
        finally:
            process.kill()
    assert "auricle" not in serve.status().applications
    record_figure(f"ray: the module took {time.monotonic() - on_ray.started:.0f} s, cluster start included")
