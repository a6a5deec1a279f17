"""What the numbers were measured on: CPU, its vector extensions, and the versions of everything."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

# The extensions CTranslate2's int8 kernels can use; which are present explains most CPU-to-CPU gaps.
FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16")
REPO = Path(__file__).resolve().parents[1]


def _lscpu() -> dict[str, str]:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    fields = (line.split(":", 1) for line in out.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in fields}


def short_name(model_name: str) -> str:
    """A file-name-safe CPU name: "Intel(R) Xeon(R) Platinum 8480+ @ 2.0GHz" -> "xeon-platinum-8480"."""
    name = re.sub(r"\((r|tm)\)|\bcpu\b|\bprocessor\b|@.*$|\d+-core", " ", model_name.lower())
    name = re.sub(r"\bintel\b", " ", name)
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-") or "unknown-cpu"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "faster-whisper": _version("faster-whisper"),
        "ctranslate2": _version("ctranslate2"),
        "av": _version("av"),
        "auricle": _version("auricle"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        # src/ may be edited while the bench runs; the record says whether it matched the commit.
        "src_modified": str(bool(_git("status", "--porcelain", "--", "src"))).lower(),
    }


@dataclass(frozen=True)
class Machine:
    model_name: str
    cores: int
    flags: dict[str, bool]
    amx: list[str]
    """AMX comes as several flags (amx_tile, amx_int8, amx_bf16); these are the ones present."""
    versions: dict[str, str]

    @classmethod
    def here(cls) -> Machine:
        info = _lscpu()
        flags = set(info.get("Flags", "").split())
        return cls(
            model_name=info.get("Model name", platform.processor() or "unknown"),
            cores=os.cpu_count() or 0,
            flags={flag: flag in flags for flag in FLAGS},
            amx=sorted(flag for flag in flags if flag.startswith("amx")),
            versions=versions(),
        )

    def record(self) -> dict[str, object]:
        return asdict(self)

    def describe(self) -> str:
        """Two lines for the top of the report."""
        present = [flag for flag, on in self.flags.items() if on]
        present += [f"amx ({', '.join(self.amx)})"] if self.amx else []
        absent = [flag for flag, on in self.flags.items() if not on] + ([] if self.amx else ["amx"])
        found = self.versions
        modified = " (src/ modified since that commit)" if found["src_modified"] == "true" else ""
        return (
            f"CPU: {self.model_name}, {self.cores} cores; present: {', '.join(present) or 'none'}; "
            f"absent: {', '.join(absent) or 'none'}\n"
            f"Python {found['python']}, faster-whisper {found['faster-whisper']}, "
            f"ctranslate2 {found['ctranslate2']}, PyAV {found['av']}, "
            f"auricle {found['auricle']} at {found['commit']}{modified}"
        )


@dataclass(frozen=True)
class Usage:
    """A snapshot of how busy the machine is, to compare the start and the end of a run with."""

    loadavg: tuple[float, float, float]
    machine_busy: int
    """Clock ticks all CPUs spent on anything but idle and iowait since boot."""
    stolen: int
    total: int
    ours: int
    """Clock ticks this process and its reaped children (the servers, once stopped) have used."""

    @classmethod
    def now(cls) -> Usage:
        # /proc/stat's first line: user nice system idle iowait irq softirq steal ...
        ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = ticks[3] + ticks[4]
        # /proc/self/stat fields 14-17: utime, stime, cutime, cstime (after the command name's ")").
        own = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        return cls(
            os.getloadavg(), sum(ticks[:8]) - idle, ticks[7], sum(ticks[:8]), sum(int(v) for v in own[11:15])
        )

    def since(self, start: Usage) -> dict[str, object]:
        """What happened between `start` and this snapshot: others' share of the CPU, and the steal."""
        total = max(self.total - start.total, 1)
        others = (self.machine_busy - start.machine_busy) - (self.ours - start.ours)
        return {
            "loadavg_start": start.loadavg,
            "loadavg_end": self.loadavg,
            # Per-process and machine-wide ticks are sampled apart, so an idle machine can come out a
            # hair below zero; kept as measured.
            "other_processes_cpu_fraction": round(others / total, 4),
            "steal_fraction": round((self.stolen - start.stolen) / total, 4),
        }
