"""Speech regions and the 1.6 s windows embedded in them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt
from faster_whisper.vad import VadOptions, get_speech_timestamps

from auricle.speakers.encoder import WINDOW_FRAMES
from auricle.speakers.features import FRAMES_PER_SECOND, HOP, SAMPLE_RATE, Floats, normalise_level, power_mel

# A shorter silence than transcription's splits regions at turn-taking pauses (0.3 s, as measured).
_VAD = VadOptions(threshold=0.5, min_speech_duration_ms=250, min_silence_duration_ms=300, speech_pad_ms=60)
STEP_FRAMES = 80
"""A window every 0.8 s: the prototype's 0.4 s gave the same DER for 0.99 instead of 0.72 CPU-s per
audio minute, and the speaker stage must stay within 30 % of a transcription's time."""
_WINDOW_SAMPLES = WINDOW_FRAMES * HOP


@dataclass(frozen=True, slots=True)
class Region:
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Windows:
    mels: npt.NDArray[np.float32]
    """(n, 160, 40)."""
    region: npt.NDArray[np.int64]
    """Which region each window lies in."""
    centre: npt.NDArray[np.float64]
    """Seconds."""


def speech_regions(samples: Floats) -> list[Region]:
    spans = get_speech_timestamps(samples, _VAD)
    return [Region(span["start"] / SAMPLE_RATE, span["end"] / SAMPLE_RATE) for span in spans]


def split(regions: list[Region], cuts: list[float], minimum: float = 0.2) -> list[Region]:
    """Regions cut at speaker-change points, leaving no piece under `minimum` seconds."""
    out: list[Region] = []
    for region in regions:
        inside = [c for c in cuts if region.start + minimum < c < region.end - minimum]
        edges = [region.start, *inside, region.end]
        out += [Region(a, b) for a, b in pairwise(edges) if b - a >= minimum]
    return out


def _stretch(samples: Floats, region: Region) -> tuple[int, Floats]:
    """The region's samples, widened around its middle to one whole window when it is shorter."""
    start, end = round(region.start * SAMPLE_RATE), round(region.end * SAMPLE_RATE)
    if end - start < _WINDOW_SAMPLES:
        start = max(0, (start + end - _WINDOW_SAMPLES) // 2)
        end = min(samples.size, start + _WINDOW_SAMPLES)
    return start, samples[start:end]


def windows(samples: Floats, regions: list[Region]) -> Windows:
    mels, owner, centre = [], [], []
    for index, region in enumerate(regions):
        start, piece = _stretch(samples, region)
        mel = power_mel(normalise_level(piece))
        if len(mel) < WINDOW_FRAMES:
            mel = np.pad(mel, ((0, WINDOW_FRAMES - len(mel)), (0, 0)))
        last = len(mel) - WINDOW_FRAMES
        starts = list(range(0, last + 1, STEP_FRAMES))
        if starts[-1] != last:
            starts.append(last)
        for first in starts:
            mels.append(mel[first : first + WINDOW_FRAMES])
            owner.append(index)
            centre.append(start / SAMPLE_RATE + (first + WINDOW_FRAMES / 2) / FRAMES_PER_SECOND)
    if not mels:
        return Windows(np.zeros((0, WINDOW_FRAMES, 40), np.float32), np.zeros(0, np.int64), np.zeros(0))
    return Windows(np.stack(mels), np.array(owner, dtype=np.int64), np.array(centre))


@dataclass(frozen=True, slots=True)
class Embedded:
    vectors: npt.NDArray[np.float32]
    """(n, 256): one d-vector per window."""
    region: npt.NDArray[np.int64]
    centre: npt.NDArray[np.float64]


_REGIONS_PER_BATCH = 64


def embedded(
    embed: Callable[[npt.NDArray[np.float32]], npt.NDArray[np.float32]],
    samples: Floats,
    regions: list[Region],
) -> Embedded:
    """Every region's windows embedded, a batch of regions at a time: only the 1 KB d-vectors are kept,
    never all the windows' mel (25.6 KB each, 0.46 GB for 4 hours of speech)."""
    vectors, owner, centre = [], [], []
    for first in range(0, len(regions), _REGIONS_PER_BATCH):
        batch = windows(samples, regions[first : first + _REGIONS_PER_BATCH])
        vectors.append(embed(batch.mels))
        owner.append(batch.region + first)
        centre.append(batch.centre)
    if not vectors:
        return Embedded(np.zeros((0, 256), np.float32), np.zeros(0, np.int64), np.zeros(0))
    return Embedded(np.concatenate(vectors), np.concatenate(owner), np.concatenate(centre))
