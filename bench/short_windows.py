"""`python -m bench.short_windows`: do short windows cost accuracy on short clips?

Clips of the corpus outside the eval subset (so nothing here tunes what the harness judges), up to
`--max-seconds` long, spread over sources and languages (seed 7), each transcribed in-process by two
models of the same weights: Auricle's defaults (short windows encoded at their own length plus the
margin) and the same engine with every window at the full 30 s. No language is given. It prints the
pooled WER of each per group, how often each detected the right language, and what deciding again at
30 s by the short window's lowest segment log-probability would have scored.

Run on 2026-12-01 (Xeon, 400 clips of up to 4 s): short 68.4% vs full 71.0% overall, 37.9% vs 37.9% on
English; no threshold from -0.3 to -1.0 beat short windows alone.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from typing import Any

from tests.support.speech import samples_of

from auricle.config import Settings
from auricle.engine.bundled import base_dir
from auricle.engine.options import DecodeOptions
from auricle.engine.whisper import FasterWhisperModel, WhisperConfig
from bench.accuracy import manifest, scoring

THRESHOLDS = (-0.3, -0.4, -0.5, -0.6, -0.7, -0.8, -1.0)


def clips(limit: int, max_seconds: float) -> list[manifest.Row]:
    corpus = manifest.default_corpus()
    held_out = {row.key for row in manifest.read(corpus / manifest.EVAL_MANIFEST)}
    rows = [
        row
        for row in manifest.read(corpus / manifest.FULL_MANIFEST)
        if row.is_speech and row.key not in held_out and row.duration <= max_seconds
    ]
    random.Random(7).shuffle(rows)
    return manifest.spread(rows, limit)


def _measure(model: FasterWhisperModel, row: manifest.Row) -> dict[str, Any]:
    transcript = model.transcribe(
        samples_of(manifest.default_corpus() / row.path), DecodeOptions(), lambda: False
    )
    edits = scoring.edits(row.reference, transcript.text, row.language)
    lowest = min((segment.avg_logprob for segment in transcript.segments), default=0.0)
    return {
        "errors": edits.errors,
        "words": edits.reference,
        "language": transcript.language,
        "lowest": lowest,
    }


def _pooled(items: Sequence[dict[str, Any]], threshold: float | None = None) -> str:
    """Pooled WER of the short windows' transcripts; with a `threshold`, each clip whose lowest segment
    log-probability on the short window is below it takes the full window's transcript instead."""
    errors = 0
    for item in items:
        short, full = item["short"], item["full"]
        errors += full["errors"] if threshold is not None and short["lowest"] < threshold else short["errors"]
    return f"{100 * errors / max(sum(item['short']['words'] for item in items), 1):.1f}%"


def _full(items: Sequence[dict[str, Any]]) -> str:
    return _pooled(items, threshold=float("inf"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.short_windows", description=__doc__)
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("--max-seconds", type=float, default=4.0)
    args = parser.parse_args(argv)
    weights = base_dir(Settings().cache_dir)
    models = {
        "short": FasterWhisperModel(weights, WhisperConfig(workers=2)),
        "full": FasterWhisperModel(weights, WhisperConfig(workers=2, window_margin_seconds=None)),
    }
    items: list[dict[str, Any]] = []
    for row in clips(args.limit, args.max_seconds):
        items.append({"row": row, **{name: _measure(model, row) for name, model in models.items()}})
    for model in models.values():
        model.close()
    groups = {
        "all": items,
        "en": [item for item in items if item["row"].language == "en"],
        "other": [item for item in items if item["row"].language != "en"],
    }
    for name, group in groups.items():
        right = [sum(item[side]["language"] == item["row"].language for item in group) for side in models]
        print(f"{name} ({len(group)} clips): short {_pooled(group)}, full {_full(group)}")
        print(f"  language right: short {right[0]}, full {right[1]}")
    for threshold in THRESHOLDS:
        gated = ", ".join(f"{name} {_pooled(group, threshold)}" for name, group in groups.items())
        print(f"again at 30 s below {threshold}: {gated}")


if __name__ == "__main__":
    main()
