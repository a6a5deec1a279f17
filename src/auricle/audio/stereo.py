"""A two-channel upload's channels kept apart (for the speaker stage's call recordings)."""

from __future__ import annotations

from typing import BinaryIO

import av
import numpy as np
import numpy.typing as npt

from auricle.engine.protocol import SAMPLE_RATE


def two_channels(source: BinaryIO, max_seconds: float) -> npt.NDArray[np.float32] | None:
    """(2, n) at 16 kHz when the first audio stream has exactly two channels, else None; leaves
    `source` at its start. Undecodable data ends the audio, as in `decode`."""
    try:
        with av.open(source, mode="r", metadata_errors="ignore") as container:
            stream = container.streams.audio[0]
            if stream.codec_context.channels != 2:
                return None
            return _decode(container, stream, int(max_seconds * SAMPLE_RATE))
    except (av.FFmpegError, ValueError, IndexError):
        return None
    finally:
        source.seek(0)


def _decode(
    container: av.container.InputContainer, stream: av.AudioStream, limit: int
) -> npt.NDArray[np.float32] | None:
    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=SAMPLE_RATE)
    chunks = []
    total = 0
    try:
        for frame in container.decode(stream):
            frame.pts = None
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().astype(np.float32, copy=False))
                total += out.samples
            if total > limit:
                break
        chunks.extend(out.to_ndarray().astype(np.float32, copy=False) for out in resampler.resample(None))
    except (av.FFmpegError, ValueError):
        if not chunks:
            return None
    if not chunks:
        return None
    joined = np.concatenate(chunks, axis=1)
    clipped: npt.NDArray[np.float32] = np.clip(np.nan_to_num(joined), -1.0, 1.0).astype(np.float32)
    return clipped
