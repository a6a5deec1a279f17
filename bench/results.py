"""Where a run's table and raw numbers go: bench/results/<UTC date>-<cpu>.md and .json."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from bench.corpus import Clip, Corpus
from bench.machine import Machine, short_name
from bench.phases import Measurements, Plan
from bench.servers import CONFIGS, effective_settings, environment

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Run:
    measured: Measurements
    corpus: Corpus
    plan: Plan
    machine: Machine
    busy: dict[str, object]
    """Usage.since(): how much of the CPU other processes took during the run."""
    started: datetime
    wall_seconds: float

    @property
    def stem(self) -> str:
        return f"{self.started:%Y-%m-%d}-{short_name(self.machine.model_name)}"

    def record(self) -> dict[str, object]:
        """Every raw number, so any figure of the table can be recomputed, or computed differently."""
        m = self.measured
        return {
            "started_utc": self.started.isoformat(timespec="seconds"),
            "duration_seconds": round(self.wall_seconds, 1),
            "language": "en",
            "plan": asdict(self.plan),
            "machine": self.machine.record(),
            "machine_load": self.busy,
            "servers": {
                name: {"environment": environment(name), "effective": effective_settings(name)}
                for name in CONFIGS
            },
            "corpus": self.corpus.describe(),
            "start_seconds": m.start_seconds,
            "first_request_seconds": m.first_request_seconds,
            "peak_rss_mib": m.peak_rss_mib,
            "soak_rss_mib": m.soak_rss_mib,
            "long_form": [t.record() for t in m.long_form],
            "short": [t.record() for t in m.short],
            "accuracy": [t.record() for t in m.accuracy],
            "load": [load.record() for load in m.loads],
        }

    def _share(self, key: str) -> str:
        value = self.busy.get(key)
        return f"{max(value, 0.0):.1%}" if isinstance(value, float) else "?"

    def document(self, table: str) -> str:
        corpus, plan = self.corpus, self.plan
        referenced = len(corpus.referenced_clips)
        mode = "quick (a subset, for development; not a result)" if plan.quick else "full"
        lines = [
            f"# Auricle vs bare faster-whisper, {self.started:%Y-%m-%d %H:%M} UTC",
            "",
            self.machine.describe().replace("\n", "  \n") + "  ",
            f"While it ran, other processes used {self._share('other_processes_cpu_fraction')} of the CPU "
            f"and the hypervisor stole {self._share('steal_fraction')}.",
            "",
            f"Mode: {mode}; took {self.wall_seconds / 60:.1f} min. Model `base`, int8, on CPU; "
            f"`language=en` on every request of both sides. Long-form: {corpus.long_form.seconds:.0f} s "
            f"from {len(corpus.long_form_parts)} recordings, {plan.long_rounds} round(s), and the "
            f"{referenced} referenced clips joined ({_seconds(corpus.referenced_long_form)} s). Short clips: "
            f"{len(corpus.clips)} ({sum(c.seconds for c in corpus.clips):.0f} s, {referenced} with a "
            f"reference), {plan.short_rounds} round(s). Concurrency: {', '.join(map(str, plan.clients))} "
            f"clients, {plan.requests} requests each. Soak: {plan.soak_requests} sequential requests to the "
            "defaults server. bench/README.md says how to read this.",
            "",
            *[f"- Auricle {name}: `{environment(name)}` ({_settings(name)})" for name in CONFIGS],
            "",
            table,
            "",
        ]
        if corpus.missing:
            lines += ["Gaps in the corpus on this machine: " + "; ".join(corpus.missing), ""]
        return "\n".join(lines)


def _seconds(clip: Clip | None) -> str:
    return "0" if clip is None else f"{clip.seconds:.0f}"


def _settings(name: str) -> str:
    return ", ".join(f"{key} {value}" for key, value in effective_settings(name).items())


def write(markdown: str, raw: dict[str, object], name: str, quick: bool) -> list[Path]:
    """Quick runs end in .tmp (git ignores those); a full run is written to .tmp then renamed into place."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    return [
        _written(RESULTS / f"{name}{'-quick' if quick else ''}{suffix}", text, rename=not quick)
        for suffix, text in [(".md", markdown), (".json", json.dumps(raw, indent=1) + "\n")]
    ]


def write_document(markdown: str, name: str) -> Path:
    """One Markdown file, written to .tmp and renamed into place."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    return _written(RESULTS / f"{name}.md", markdown)


def _written(final: Path, text: str, *, rename: bool = True) -> Path:
    """`text` in `final` + ".tmp", renamed to `final` unless `rename` is False: a file is whole or absent."""
    partial = final.with_name(final.name + ".tmp")
    partial.write_text(text, encoding="utf-8")
    if not rename:
        return partial
    os.replace(partial, final)
    return final
