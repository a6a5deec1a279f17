"""A run as a whole: the Markdown report and the JSON record with every item's answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench.accuracy import cues, details, report, robustness
from bench.accuracy.run import Measured, Plan
from bench.accuracy.sides import AURICLE, BARE
from bench.machine import Machine, short_name

PARTIAL = "Partial run (filtered, limited or one-sided; for development, not a result)"


@dataclass(frozen=True)
class Run:
    plan: Plan
    measured: Measured
    manifest: Path
    partial: bool
    """Filtered, limited or one-sided: for development, not a result."""
    machine: Machine
    busy: dict[str, object]
    started: datetime
    wall_seconds: float
    settings: dict[str, object]
    """Auricle's decoding and scheduling settings as its server ran."""
    rescored: datetime | None = None
    """When the recorded answers were scored again (`--rescore`), if they were."""

    def stem(self, label: str | None) -> str:
        stem = f"{self.started:%Y-%m-%d}-accuracy-{short_name(self.machine.model_name)}"
        return f"{stem}-{label}" if label else stem

    def timing_sources(self) -> dict[str, str]:
        """Where each side's timings come from: only figures measured in one run compare."""
        m, found = self.measured, {}
        for side in (BARE, AURICLE):
            here = m.timed_here.get(side, 0)
            total = sum(side in o.results for o in m.outcomes)
            if not total:
                continue
            text = f"{here} of {total} items timed in this run ({m.wall_seconds.get(side, 0.0) / 60:.1f} min)"
            if here < total:
                dates = m.cached_dates
                span = (
                    dates[0][:10] if dates[0][:10] == dates[-1][:10] else f"{dates[0][:10]}-{dates[-1][:10]}"
                )
                text += f"; {total - here} from the cache, measured {span}: not comparable with this run's"
            found[side] = text
        return found

    def header(self) -> list[str]:
        plan, busy = self.plan, self.busy
        others = busy.get("other_processes_cpu_fraction")
        steal = busy.get("steal_fraction")
        language = (
            "the manifest's `language` sent to both sides" if plan.language_given else "no `language` sent"
        )
        env = " ".join(f"AURICLE_{k.upper()}={v}" for k, v in plan.auricle_env.items()) or "none"
        if plan.keywords:
            env += f"; `keywords[]` {', '.join(plan.keywords)} sent with every request"
        settings = ", ".join(f"{k} {v}" for k, v in self.settings.items())
        rescored = (
            f" Scored again from its answers {self.rescored:%Y-%m-%d %H:%M} UTC." if self.rescored else ""
        )
        return [
            f"# Accuracy: Auricle against bare faster-whisper, {self.started:%Y-%m-%d %H:%M} UTC",
            "",
            self.machine.describe().replace("\n", "  \n") + "  ",
            f"While it ran, other processes used {_share(others)} of the CPU and the hypervisor stole "
            f"{_share(steal)}. Took {self.wall_seconds / 60:.1f} min.{rescored}",
            "",
            f"{PARTIAL if self.partial else 'Full run'} of `{self.manifest}`; {language}. Model `base`, "
            "int8, CPU, one request at a time, sides alternating item by item. bench/README.md says how to "
            "read this.",
            "",
            f"- Auricle: defaults, only `base` loaded; extra settings: {env} ({settings})",
            "- bare: faster-whisper `WhisperModel(base, cpu, int8, cpu_threads=2)`, library defaults",
            *[f"- timings, {side}: {text}" for side, text in self.timing_sources().items()],
        ]

    def markdown(self) -> str:
        everything = self.measured.outcomes
        # Every other section is of the audio as it ships; perturbed copies have a section of their own.
        outcomes = robustness.plain(everything)
        sections = [
            self.header(),
            [
                "## Speech (WER pooled: all errors over all reference words)",
                "",
                "The interval is a paired bootstrap over the group's items (bench/accuracy/confidence.py):"
                " a difference whose interval holds 0 is within what other items like these could turn"
                " either way.",
                "",
                *report.accuracy_table(outcomes),
            ],
            ["## Non-speech (the right answer is empty)", "", *report.non_speech_table(outcomes)],
            [
                "## Level, length and layout (`--perturb`)",
                "",
                "Every item again after each transformation (bench/accuracy/perturb.py), both sides;"
                " counts are bare / auricle. Cut short: auricle's answer leaves out more than one of"
                " bare's last words; of bare's right words: more than one of those left out were words"
                " bare read right (a hit against the reference), not words it invented; right words"
                " only bare / only auricle read: the reference's words one side's answer has right and"
                " the other's does not (a lost word is in the first count, whatever else either got"
                " wrong).",
                "",
                *robustness.perturbation_table(everything),
            ],
            ["## Speed", "", *report.speed_table(outcomes, self.timing_sources())],
            ["## Language detection", "", *report.language_table(outcomes)],
            ["## Code-switched recording", "", *details.mixed(outcomes)],
            ["## Loops (more than 2 x the reference's words + 5)", "", *details.loops(outcomes)],
            ["## Words on non-speech", "", *details.invented(outcomes)],
            ["## Timestamp violations", "", *details.violations(outcomes)],
            ["## Segment lengths (subtitle cues)", "", *cues.cue_table(outcomes)],
            ["## Requests without a transcript", "", *details.failures(everything)],
            ["## Worst items: auricle's WER minus bare's", "", *details.worst(outcomes)],
        ]
        return "\n\n".join("\n".join(section) for section in sections).replace("\n\n\n", "\n\n") + "\n"

    def record(self) -> dict[str, object]:
        plan, m = self.plan, self.measured
        return {
            "started_utc": self.started.isoformat(timespec="seconds"),
            "duration_seconds": round(self.wall_seconds, 1),
            "manifest": str(self.manifest),
            "partial": self.partial,
            "language_given": plan.language_given,
            "auricle_env": dict(plan.auricle_env),
            "keywords": list(plan.keywords),
            "auricle_settings": self.settings,
            "machine": self.machine.record(),
            "machine_load": self.busy,
            "setup_seconds": m.setup_seconds,
            "wall_seconds": m.wall_seconds,
            "timings": self.timing_sources(),
            "cached_dates": m.cached_dates,
            "items": [outcome.record() for outcome in m.outcomes],
        }


def _share(value: object) -> str:
    return f"{max(value, 0.0):.1%}" if isinstance(value, float) else "?"
