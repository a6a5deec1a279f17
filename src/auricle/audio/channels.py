"""Which channels of a recording carry sound, and a downmix that does not bury them under silent ones.

FFmpeg's downmix averages every channel, so one speaking channel of eight comes out 18 dB down, and a
quiet word at its end was lost. Channels more than `SILENT_BELOW_DB` under the loudest are left out of
the mix (a silent track of a multitrack recording, an unused input of an interface); where every channel
carries sound, FFmpeg's own downmix stands, so stereo and surround recordings decode as they always did.
"""

from __future__ import annotations

from collections.abc import Iterator

import av
import numpy as np
import numpy.typing as npt

SILENT_BELOW_DB = 30.0
"""Speech sits 40-60 dB above a quiet channel's noise floor; two speakers on two tracks, within 10 dB."""

Weights = npt.NDArray[np.float32]


def planar_frames(
    container: av.container.InputContainer, max_samples: int | None = None
) -> Iterator[npt.NDArray[np.float32]]:
    """The first audio stream as float arrays of (channels, samples) at its own rate; stops quietly
    where the file breaks off or after about `max_samples` per channel."""
    stream = container.streams.audio[0]
    resampler = av.AudioResampler(format="flt")
    seen = 0
    try:
        for frame in container.decode(stream):
            frame.pts = None
            for out in resampler.resample(frame):
                planes = by_channel(out)
                seen += planes.shape[-1]
                yield planes
            if max_samples is not None and seen > max_samples:
                return
    except (av.FFmpegError, ValueError):
        return


def by_channel(frame: av.AudioFrame) -> npt.NDArray[np.float32]:
    """A packed float frame as (channels, samples). Packed, since PyAV 18 crashes reading a planar
    frame of a layout FFmpeg has no name for (an 8-channel WAV without a channel mask)."""
    count = len(frame.layout.channels)
    planes: npt.NDArray[np.float32] = frame.to_ndarray().reshape(-1, count).T.astype(np.float32, copy=False)
    return planes


def weights(container: av.container.InputContainer, max_samples: int) -> Weights | None:
    """Equal weights on the channels that carry sound, none on the silent ones; None where every
    channel carries sound (FFmpeg's downmix is then used) or the stream has one channel."""
    energy: npt.NDArray[np.float64] | None = None
    for planes in planar_frames(container, max_samples):
        power = np.sum(np.square(planes, dtype=np.float64), axis=1)
        energy = power if energy is None else energy + power
    if energy is None or len(energy) < 2 or not energy.max() > 0:
        return None
    sounding = energy >= energy.max() * 10.0 ** (-SILENT_BELOW_DB / 10.0)
    if sounding.all():
        return None
    mix: Weights = sounding.astype(np.float32) / np.float32(sounding.sum())
    return mix
