"""`auricle serve` as a real process on 127.0.0.1, started the way a user starts it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2

START_TIMEOUT_SECONDS = 120
ONLY_TINY = {"models": '{"tiny.en": "bundled:tiny.en"}', "default_model": "tiny.en"}
"""Settings for a server that loads only the small English model: quick to start, enough for the API."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    tmp_dir: Path
    """The server's TMPDIR, where its spooled uploads would appear if they were ever named."""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM, as an orchestrator sends it, then the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)


@contextmanager
def serve(workdir: Path, module: str = "auricle", **settings: str) -> Iterator[Server]:
    """A ready server with `AURICLE_<NAME>` set from `settings`; killed afterwards if still running.
    `module`: what `python -m` runs (`tests.support.fake_server` for one on the fake engine)."""
    port = free_port()
    log = workdir / "server.log"
    tmp_dir = workdir / "tmp"
    tmp_dir.mkdir(exist_ok=True)
    env = {**os.environ, "AURICLE_PORT": str(port), "TMPDIR": str(tmp_dir)}
    env.update({f"AURICLE_{name.upper()}": value for name, value in settings.items()})
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", module, "serve"], env=env, stdout=out, stderr=out)
    server = Server(process, port, log, tmp_dir)
    try:
        _wait_ready(server)
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"auricle serve exited with {server.process.returncode}:\n{server.log_text()}")
        try:
            if httpx2.get(f"{server.base_url}/ready", timeout=2).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"auricle serve was not ready within {START_TIMEOUT_SECONDS} s:\n{server.log_text()}")
