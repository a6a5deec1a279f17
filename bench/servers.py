"""The two Auricle configurations under test, each a real `python -m auricle serve` process."""

from __future__ import annotations

import json
import os
import shlex
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.server import Server, serve

from auricle.config import Settings
from bench.bare import THREADS
from bench.measure import peak_rss_mib

# Only the model under test: the default set would also load tiny.en, costing start time and memory
# that the bare side does not pay.
COMMON = {"models": json.dumps({"base": "bundled:base"}), "default_model": "base"}

# Settings that make Auricle decode exactly as faster-whisper does by default, each one only where this
# checkout of Auricle has it (src/ changes while the bench is developed; an unknown AURICLE_* is refused).
LIBRARY_DECODING = {
    "vad_filter": "false",
    # One CTranslate2 replica with the library's threads, as bare runs.
    "workers": "1",
    "cpu_threads": str(THREADS),
    "beam_size": "5",
    "compute_type": "int8",
    # Encoding a short window at its own length is Auricle's, not the library's: 0 keeps 30 s windows.
    "window_margin_seconds": "0",
}

CONFIGS: dict[str, dict[str, str]] = {
    # Decoding identical to the bare side, so any difference left is what Auricle itself costs.
    "matched": {name: value for name, value in LIBRARY_DECODING.items() if name in Settings.model_fields},
    # What an operator gets without touching a setting (VAD on, one CTranslate2 thread per core, ...).
    "defaults": {},
}


# The settings that shape decoding and scheduling, recorded as each server ran with them.
RECORDED = (
    "device",
    "compute_type",
    "cpu_threads",
    "beam_size",
    "vad_filter",
    "window_margin_seconds",
    "workers",
    "concurrency",
    "max_batch",
    "batch_wait_ms",
)


def effective_settings(name: str) -> dict[str, object]:
    """This checkout's defaults with the configuration's settings applied (the environment is scrubbed)."""
    fields = {field for field in RECORDED if field in Settings.model_fields}
    settings = Settings.model_validate(CONFIGS[name])
    effective = settings.model_dump(mode="json", include=fields)
    if "workers" in effective:  # 0 means one per core: say how many that was
        effective["workers"] = settings.resolved_workers()
    return effective


def environment(name: str) -> str:
    """The configuration as the AURICLE_* variables an operator would set."""
    settings = {**COMMON, **CONFIGS[name]}
    return " ".join(f"AURICLE_{key.upper()}={shlex.quote(value)}" for key, value in settings.items())


@dataclass
class RunningServer:
    name: str
    server: Server
    ready_seconds: float
    """From starting the process to the first 200 from /ready (polled every 0.25 s)."""

    @property
    def peak_rss_mib(self) -> float:
        return peak_rss_mib(self.server.process.pid)


def scrub_environment() -> None:
    """Drop the caller's AURICLE_* settings, so "defaults" are Auricle's and not the shell's.

    AURICLE_TEST_AUDIO is kept: it only says where the test audio is, as for the test suite.
    """
    for name in [n for n in os.environ if n.startswith("AURICLE_") and n != "AURICLE_TEST_AUDIO"]:
        del os.environ[name]


@contextmanager
def running(name: str, extra: Mapping[str, str] | None = None) -> Iterator[RunningServer]:
    """A ready server for configuration `name` (and `extra` settings), stopped with SIGTERM (as an
    orchestrator would) after."""
    settings = {**COMMON, **CONFIGS[name], **(extra or {})}
    with tempfile.TemporaryDirectory(prefix=f"auricle-bench-{name}-") as workdir:
        started = time.perf_counter()
        with serve(Path(workdir), **settings) as server:
            running_server = RunningServer(name, server, time.perf_counter() - started)
            try:
                yield running_server
            finally:
                server.terminate()
