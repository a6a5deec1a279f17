"""Real conversations with reference turns, from public packages: today pyannote.audio's own sample
(30 s, two speakers who talk over each other once, MIT), taken from its wheel on PyPI, the only
multi-speaker recording with reference turns this project's package sources hold (Debian, npm and the
wheels of speechbrain, NeMo, diart and WhisperX have none)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import av
import numpy as np

from bench.diarization.conversations import RATE, Conversation

_PACKAGE = "pyannote.audio==3.3.2"
_SAMPLE = "pyannote/audio/sample/sample"


def _cache() -> Path:
    return Path.home() / ".cache" / "auricle-diarization"


def _wheel(folder: Path) -> Path:
    found = sorted(folder.glob("pyannote_audio-3.3.2-*.whl"))
    if found:
        return found[0]
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", _PACKAGE, "-d", str(folder)]
    subprocess.run(command, check=True)
    return sorted(folder.glob("pyannote_audio-3.3.2-*.whl"))[0]


def turns_of(rttm: str) -> tuple[tuple[float, float, str], ...]:
    """RTTM's SPEAKER lines as (start, end, speaker)."""
    turns = []
    for line in rttm.splitlines():
        fields = line.split()
        if len(fields) >= 8 and fields[0] == "SPEAKER":
            start, duration = float(fields[3]), float(fields[4])
            turns.append((start, start + duration, fields[7]))
    return tuple(sorted(turns))


def _samples(data: bytes) -> np.ndarray:
    with av.open(io.BytesIO(data), mode="r") as container:
        frames = [f.to_ndarray() for f in container.decode(audio=0)]
    pcm = np.concatenate(frames, axis=1)[0]
    scale = 32768.0 if pcm.dtype == np.int16 else 1.0
    samples: np.ndarray = (pcm / scale).astype(np.float32)
    return samples


def real_conversations() -> list[Conversation]:
    """Downloads the wheel (0.9 MB) once into ~/.cache/auricle-diarization."""
    folder = _cache()
    with zipfile.ZipFile(_wheel(folder)) as wheel:
        audio = _samples(wheel.read(f"{_SAMPLE}.wav"))
        rttm = wheel.read(f"{_SAMPLE}.rttm").decode()
    assert audio.size == 30 * RATE, "pyannote's sample is 30 s at 16 kHz"
    return [Conversation("real_pyannote_sample", audio, turns_of(rttm))]
