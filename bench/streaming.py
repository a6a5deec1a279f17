"""`python -m bench.streaming`: how soon a stream's first text arrives, and what logprobs cost.

A 10-minute recording of continuous real speech (the accuracy harness's long recordings, joined) goes
to a real `auricle serve` with its defaults, three ways, alternating round by round: the plain `json`
request; `stream=true`, timing the first delta and the done event; and `json` with
`include[]=logprobs`. Figures are for comparing the ways within one run, on this machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx2
import numpy as np
from tests.support.speech import wav

from auricle.engine.protocol import SAMPLE_RATE
from bench.accuracy import longform, manifest
from bench.machine import Machine, short_name
from bench.phases import progress
from bench.results import write_document
from bench.servers import running, scrub_environment

SECONDS = 600.0
PAUSE = np.zeros(int(0.3 * SAMPLE_RATE), dtype=np.float32)
Way = Callable[[httpx2.Client, bytes], tuple[float | None, float]]


def recording(seconds: float = SECONDS) -> bytes:
    """The long recordings of the accuracy harness one after another, cut at `seconds`."""
    corpus = manifest.default_corpus()
    parts = longform.recordings(manifest.read(corpus / manifest.FULL_MANIFEST), corpus)
    joined = np.concatenate([piece for part in parts for piece in (part.samples, PAUSE)])
    while len(joined) < seconds * SAMPLE_RATE:
        joined = np.concatenate([joined, joined])
    return wav(joined[: int(seconds * SAMPLE_RATE)])


def _post(http: httpx2.Client, audio: bytes, **fields: str) -> httpx2.Response:
    files = {"file": ("long.wav", audio, "audio/wav")}
    response = http.post("/v1/audio/transcriptions", data={"model": "base", **fields}, files=files)
    response.raise_for_status()
    return response


def plain(http: httpx2.Client, audio: bytes) -> tuple[float | None, float]:
    started = time.perf_counter()
    _post(http, audio)
    return None, time.perf_counter() - started


def with_logprobs(http: httpx2.Client, audio: bytes) -> tuple[float | None, float]:
    started = time.perf_counter()
    assert _post(http, audio, **{"include[]": "logprobs"}).json()["logprobs"]
    return None, time.perf_counter() - started


def streamed(http: httpx2.Client, audio: bytes) -> tuple[float | None, float]:
    started, first = time.perf_counter(), None
    files = {"file": ("long.wav", audio, "audio/wav")}
    with http.stream(
        "POST", "/v1/audio/transcriptions", data={"model": "base", "stream": "true"}, files=files
    ) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if first is None and '"transcript.text.delta"' in line:
                first = time.perf_counter() - started
    return first, time.perf_counter() - started


WAYS: dict[str, Way] = {"json": plain, "stream": streamed, "json + logprobs": with_logprobs}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.streaming", description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    args = parser.parse_args(argv)
    scrub_environment()
    started, machine, audio = datetime.now(UTC), Machine.here(), recording(args.seconds)
    times: dict[str, list[tuple[float | None, float]]] = {name: [] for name in WAYS}
    with running("defaults") as server:
        # trust_env=False: a proxy from the environment must never sit between the bench and 127.0.0.1.
        http = httpx2.Client(base_url=server.server.base_url, timeout=7200, trust_env=False)
        for round_ in range(args.rounds):
            for name, way in WAYS.items():
                times[name].append(way(http, audio))
                progress(f"round {round_ + 1}: {name} {times[name][-1]}")
        http.close()
    document = _document(started, machine, args.seconds, times)
    print(document)
    print(write_document(document, f"{started:%Y-%m-%d}-streaming-{short_name(machine.model_name)}"))


def _document(
    started: datetime, machine: Machine, seconds: float, times: dict[str, list[tuple[float | None, float]]]
) -> str:
    baseline = statistics.median(total for _, total in times["json"])
    rows = []
    for name, measured in times.items():
        total = statistics.median(total for _, total in measured)
        firsts = [first for first, _ in measured if first is not None]
        first = f"{statistics.median(firsts):.1f}" if firsts else "-"
        rows.append(f"| {name} | {first} | {total:.1f} | {seconds / total:.1f} | {total / baseline:.2f} |")
    return "\n".join(
        [
            f"# Streaming and logprobs, {started:%Y-%m-%d %H:%M} UTC",
            "",
            machine.describe().replace("\n", "  \n") + "  ",
            "",
            f"{seconds:.0f} s of continuous real speech (the accuracy harness's long recordings, joined), "
            f"no `language` sent, Auricle's defaults; medians of {len(times['json'])} rounds, the ways "
            "alternating within each round.",
            "",
            "| request | first delta (s) | whole request (s) | RTFx | time / json's |",
            "| --- | ---: | ---: | ---: | ---: |",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    main()
