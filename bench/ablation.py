"""`python -m bench.ablation`: what each of Auricle's engine changes buys, one at a time, in one run.

The engine runs in-process (no HTTP), so the rows differ only in engine settings. It starts from the
library's own decoding (faster-whisper's window-by-window loop, 30 s windows, one CTranslate2 replica
with 2 threads) and adds Auricle's changes one by one; then it tries the other compute types and beam
widths on Auricle's defaults. Every configuration transcribes the long-form recording and every short
clip, interleaved clip by clip, and the first row also says where its time goes (encoder, decoder,
the rest). Figures are for comparing rows of one run, not runs on different machines.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from tests.support.text import word_error_rate

from auricle.config import Settings
from auricle.engine.options import DecodeOptions
from auricle.engine.sources import resolve
from auricle.engine.whisper import FasterWhisperModel, WhisperConfig
from bench import corpus as corpus_module
from bench.corpus import Clip
from bench.machine import Machine
from bench.phases import progress
from bench.results import write_document

LIBRARY = WhisperConfig(cpu_threads=2, workers=1, vad_filter=False, window_margin_seconds=None)
SHORT_WINDOWS = replace(LIBRARY, window_margin_seconds=3.0)
STEPS: list[tuple[str, WhisperConfig]] = [
    ("library decoding: 30 s windows, window after window, 1 worker x 2 threads", LIBRARY),
    ("+ short windows (own length + 3 s margin)", SHORT_WINDOWS),
    ("+ VAD spans decoded side by side, windows batched", replace(SHORT_WINDOWS, vad_filter=True)),
    ("+ 2 workers x 1 thread (Auricle's defaults on 2 cores)", WhisperConfig(workers=2)),
    ("defaults, compute type int8_float32", WhisperConfig(workers=2, compute_type="int8_float32")),
    ("defaults, compute type float32", WhisperConfig(workers=2, compute_type="float32")),
    ("defaults, compute type bfloat16", WhisperConfig(workers=2, compute_type="bfloat16")),
    ("defaults, beam 1 (greedy)", WhisperConfig(workers=2, beam_size=1)),
]  # fmt: skip


@dataclass
class Row:
    label: str
    long_seconds: list[float] = field(default_factory=list)
    short_seconds: list[float] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    error: str = ""


class Stopwatch:
    """Adds up the time spent in the CTranslate2 model's encoder and decoder calls (one replica only)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.seconds = {"encode": 0.0, "generate": 0.0}

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.model, name)
        return self.timed(name, attribute) if name in self.seconds else attribute

    def timed(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started

        return call


def _timed(model: FasterWhisperModel, clip: Clip) -> tuple[float, str]:
    started = time.perf_counter()
    transcript = model.transcribe(clip.samples, DecodeOptions(language="en"), lambda: False)
    return time.perf_counter() - started, transcript.text


def _breakdown(model: FasterWhisperModel, clips: list[Clip]) -> str:
    """Where the first configuration's time goes: its calls of the CTranslate2 model, timed."""
    batched = model._batched  # the engine's own wrapper around the CTranslate2 model
    # Encodes reach the model through the wrapper; decodes through the batcher's generate function.
    original_model, original_generate = batched._model, batched.batcher._generate
    stopwatch = Stopwatch(original_model)
    batched._model = stopwatch
    batched.batcher._generate = stopwatch.timed("generate", original_generate)
    started = time.perf_counter()
    try:
        for clip in clips:
            _timed(model, clip)
    finally:
        batched._model, batched.batcher._generate = original_model, original_generate
    wall = time.perf_counter() - started
    encode, generate = stopwatch.seconds["encode"], stopwatch.seconds["generate"]
    rest = 1 - (encode + generate) / wall
    return (
        f"{wall:.2f} s wall: encoder {encode / wall:.0%}, decoder (generate, fallbacks included) "
        f"{generate / wall:.0%}, the rest (features, VAD, tokenizer, Python) {rest:.0%}"
    )


def _measure(
    models: dict[str, FasterWhisperModel], rows: dict[str, Row], clips: list[Clip], long: Clip
) -> None:
    labels = list(models)
    for turn, clip in enumerate([long, *clips]):
        for label in labels if turn % 2 == 0 else reversed(labels):
            seconds, text = _timed(models[label], clip)
            target = rows[label].long_seconds if clip is long else rows[label].short_seconds
            target.append(seconds)
            rows[label].texts[clip.name] = text


def _table(rows: list[Row], clips: list[Clip], long: Clip) -> str:
    referenced = [clip for clip in clips if clip.reference]
    lines = [
        "| configuration | long-form RTFx | short p50 (s) | short mean (s) | WER, referenced short clips |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        if row.error:
            lines.append(f"| {row.label} | — | — | — | not available here: {row.error} |")
            continue
        wer = word_error_rate(
            [c.reference or "" for c in referenced], [row.texts[c.name] for c in referenced]
        )
        rtfx = long.seconds / statistics.median(row.long_seconds)
        p50, mean = statistics.median(row.short_seconds), statistics.mean(row.short_seconds)
        lines.append(f"| {row.label} | {rtfx:.1f} | {p50:.3f} | {mean:.3f} | {wer:.1%} |")
    return "\n".join(lines)


def _load(
    label: str, config: WhisperConfig, model_dir: Any, rows: dict[str, Row]
) -> FasterWhisperModel | None:
    rows[label] = Row(label)
    try:
        return FasterWhisperModel(model_dir, config)
    except ValueError as error:  # a compute type this CPU lacks
        rows[label].error = str(error).splitlines()[0]
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ablation", description=__doc__)
    parser.add_argument("--rounds", type=int, default=2, help="passes over the corpus per configuration")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    machine = Machine.here()
    progress(machine.describe())
    corpus = corpus_module.build()
    model_dir = resolve("bundled:base", Settings().cache_dir)
    rows: dict[str, Row] = {}
    models = {label: m for label, config in STEPS if (m := _load(label, config, model_dir, rows)) is not None}
    first = next(iter(models.values()))
    breakdown_long = _breakdown(first, [corpus.long_form])
    breakdown_short = _breakdown(first, corpus.clips)
    for round_index in range(args.rounds):
        _measure(models, rows, corpus.clips, corpus.long_form)
        progress(f"round {round_index + 1}/{args.rounds} done")
    for model in models.values():
        model.close()
    document = "\n".join([
        f"# What each engine change buys, {started:%Y-%m-%d %H:%M} UTC",
        "",
        machine.describe().replace("\n", "  \n") + "  ",
        f"Model `base` in-process (no HTTP), `language=en`; long-form {corpus.long_form.seconds:.0f} s, "
        f"{len(corpus.clips)} short clips; {args.rounds} round(s), interleaved clip by clip. "
        "bench/README.md says how to read this.",
        "",
        _table(list(rows.values()), corpus.clips, corpus.long_form),
        "",
        f"Where the library configuration's time goes. Long-form: {breakdown_long}. "
        f"Short clips, one after another: {breakdown_short}.",
        "",
    ])  # fmt: skip
    print(document)
    if not args.no_write:
        progress(f"wrote {write_document(document, f'{started:%Y-%m-%d}-ablation')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
