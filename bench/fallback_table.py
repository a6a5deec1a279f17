"""Two `bench.fallback` recordings side by side: where decoding time went, and what it cost in words."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from bench.accuracy.scoring import Edits, edits, pooled_rate

COLUMNS = (
    "side | clips | decodes | decoded tokens | decode seconds | of which sampled | wall seconds, sum "
    "| wall p50 / p95 / max (s) | WER | deletions / insertions | clips with other text"
)


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def row(name: str, clips: list[dict[str, Any]], other: dict[str, str]) -> str:
    decodes = [decode for clip in clips for decode in clip["decodes"]]
    walls = sorted(clip["s"] for clip in clips)
    scores: list[Edits] = [edits(clip["ref"], clip["hyp"], clip["lang"]) for clip in clips]
    rate = pooled_rate(scores) or 0.0
    changed = sum(1 for clip in clips if other.get(clip["key"], clip["hyp"]) != clip["hyp"])
    p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
    return " | ".join((
        name, str(len(clips)), str(len(decodes)), str(sum(decode.get("n", 0) for decode in decodes)),
        f"{sum(decode['s'] for decode in decodes):.1f}",
        f"{sum(decode['s'] for decode in decodes if decode['t'] > 0):.1f}",
        f"{sum(walls):.1f}", f"{statistics.median(walls):.2f} / {p95:.2f} / {walls[-1]:.2f}",
        f"{100 * rate:.2f}%",
        f"{sum(s.deletions for s in scores)} / {sum(s.insertions for s in scores)}", str(changed),
    ))  # fmt: skip


def table(before: Path, after: Path) -> str:
    """A markdown table: one row per recording; text compared clip by clip."""
    first, second = read(before), read(after)
    texts = [{clip["key"]: clip["hyp"] for clip in side} for side in (first, second)]
    lines = [
        f"| {COLUMNS} |",
        "| " + " | ".join("---" if i == 0 else "---:" for i in range(COLUMNS.count("|") + 1)) + " |",
        f"| {row(before.name, first, texts[1])} |",
        f"| {row(after.name, second, texts[0])} |",
    ]
    changed = [
        f"- {clip['key']}: {texts[0].get(clip['key'])!r} -> {clip['hyp']!r} (reference {clip['ref']!r})"
        for clip in second
        if texts[0].get(clip["key"], clip["hyp"]) != clip["hyp"]
    ]
    return "\n".join([*lines, "", *changed])
