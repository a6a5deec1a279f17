"""`python -m bench.threads`: what one full 30 s window costs on one thread and on two.

Auricle runs a worker per core with one thread each, and decodes two windows at once; bare
faster-whisper runs one window at a time on two threads. On continuous speech (no silence to skip,
every span a full window, the same windows on both sides) Auricle's long-form lead is therefore about
what one two-thread window costs against half of what one one-thread window costs:

    lead ~ (encode at 2 threads + decode at 2 threads) / ((encode at 1 thread + decode at 1 thread) / 2)

This measures those four costs, and a batch of four windows decoded at once, on consecutive 30 s
windows of the corpus's long recordings (beam 5, int8, the recording's language, no prompt). The two
thread counts are measured in alternating rounds, each on its own model, and medians are reported.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import ctranslate2
import numpy as np
from faster_whisper import WhisperModel

from auricle.config import Settings
from auricle.engine.bundled import base_dir
from bench import results
from bench.accuracy import longform, manifest
from bench.machine import Machine

WINDOW = 30 * 16_000
GENERATE = {"beam_size": 5, "max_length": 448, "return_scores": True, "suppress_blank": True}


def _windows(names: list[str], per_recording: int) -> list[tuple[np.ndarray, str]]:
    corpus = manifest.default_corpus()
    recordings = longform.recordings(manifest.read(corpus / manifest.FULL_MANIFEST), corpus)
    return [
        (recording.samples[index * WINDOW : (index + 1) * WINDOW], recording.language)
        for recording in recordings
        if recording.name in names
        for index in range(min(per_recording, len(recording.samples) // WINDOW))
    ]


def _timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _round(model: WhisperModel, windows: list[tuple[np.ndarray, str]]) -> dict[str, float]:
    """Seconds per window: encode, decode alone, decode in a batch of all of them."""
    padded = [model.feature_extractor(audio)[np.newaxis, :, :3000] for audio, _ in windows]
    features = [ctranslate2.StorageView.from_array(np.ascontiguousarray(one)) for one in padded]
    tokenizer = model.hf_tokenizer
    prompts = [
        [tokenizer.token_to_id(token) for token in ("<|startoftranscript|>", f"<|{lang}|>", "<|transcribe|>")]
        for _, lang in windows
    ]
    outputs: list[Any] = []
    encode = _timed(lambda: outputs.extend(model.model.encode(f, to_cpu=True) for f in features))
    pairs = list(zip(outputs, prompts, strict=True))
    alone = _timed(lambda: [model.model.generate(output, [prompt], **GENERATE) for output, prompt in pairs])
    stacked = ctranslate2.StorageView.from_array(np.concatenate([np.asarray(o) for o in outputs]))
    batched = _timed(lambda: model.model.generate(stacked, prompts, **GENERATE))
    count = len(windows)
    return {"encode": encode / count, "decode": alone / count, "batch": batched / count}


def measure(windows: list[tuple[np.ndarray, str]], rounds: int) -> dict[int, dict[str, float]]:
    path = str(base_dir(Settings().cache_dir))
    models = {
        threads: WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=threads)
        for threads in (1, 2)
    }
    for model in models.values():  # first calls allocate buffers
        _round(model, windows[:1])
    found: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for _ in range(rounds):
        for threads, model in models.items():
            found[threads].append(_round(model, windows))
    return {
        threads: {key: statistics.median(one[key] for one in runs) for key in runs[0]}
        for threads, runs in found.items()
    }


def report(costs: dict[int, dict[str, float]], windows: int, rounds: int, names: list[str]) -> str:
    one, two = costs[1], costs[2]
    lead = (two["encode"] + two["decode"]) / ((one["encode"] + one["decode"]) / 2)
    rows = "\n".join(
        f"| {threads} | {c['encode']:.2f} s | {c['decode']:.2f} s | {c['batch']:.2f} s |"
        for threads, c in costs.items()
    )
    return (
        f"# One 30 s window on one thread and on two ({datetime.now(UTC):%Y-%m-%d})\n\n"
        f"{Machine.here().describe()}\n\n"
        f"base, int8, beam 5; {windows} windows of {', '.join(names)}; medians of {rounds} rounds.\n\n"
        "| threads | encode per window | decode per window, alone | decode per window, in one batch |\n"
        "|---:|---:|---:|---:|\n"
        f"{rows}\n\n"
        f"Two one-thread workers against one two-thread worker, per window: **{lead:.2f}x**; "
        f"two threads speed an encode up {one['encode'] / two['encode']:.2f}x and a decode "
        f"{one['decode'] / two['decode']:.2f}x; a batch decodes a window "
        f"{one['decode'] / one['batch']:.2f}x faster than alone, on one thread.\n"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.threads", description=__doc__)
    parser.add_argument("--recordings", default="asterisk-en,fillets-nl-barrel", help="long recordings")
    parser.add_argument("--windows", type=int, default=2, help="windows from each recording")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", metavar="NAME", help="also write bench/results/NAME.md")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.recordings.split(",") if name.strip()]
    windows = _windows(names, args.windows)
    markdown = report(measure(windows, args.rounds), len(windows), args.rounds, names)
    print(markdown)
    if args.write:
        print(results.write_document(markdown, args.write))


if __name__ == "__main__":
    main()
