"""A throw-away PostgreSQL server from Debian's binaries, on a unix socket in a temp dir, no TCP port.

initdb and pg_ctl refuse to run as root (CI runs as root): then they run as the `postgres` user the
Debian package creates. The server is stopped by the PID in its own postmaster.pid.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(Path(path).parent.name))
    return Path(found[-1]) if found and (Path(found[-1]) / "initdb").exists() else None


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields a `postgresql+psycopg://` URL for the database `auricle` of a fresh server."""
    binaries = pg_bin()
    assert binaries is not None
    # Short: a unix socket's path must stay under ~107 bytes, which pytest's tmp_path can exceed.
    directory = Path(tempfile.mkdtemp(prefix="pg"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = directory / "data"
    _run(
        [
            *as_user,
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "auricle",
            "-E",
            "UTF8",
            "--no-sync",
        ],
    )
    options = f"-c listen_addresses='' -k {directory} -c fsync=off -c synchronous_commit=off"
    _run(
        [
            *as_user,
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(directory / "log"),
            "-w",
            "-o",
            options,
            "start",
        ],
    )
    try:
        _run(
            [
                str(binaries / "psql"),
                "-h",
                str(directory),
                "-U",
                "auricle",
                "-d",
                "postgres",
                "-q",
                "-c",
                "CREATE DATABASE auricle",
            ],
        )
        yield f"postgresql+psycopg://auricle@/auricle?host={directory}"
    finally:
        _stop(data)
        shutil.rmtree(directory, ignore_errors=True)


def _run(command: list[str]) -> None:
    subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=True)


def _stop(data: Path) -> None:
    pid_file = data / "postmaster.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().splitlines()[0])
    os.kill(pid, signal.SIGINT)  # PostgreSQL's fast shutdown
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
