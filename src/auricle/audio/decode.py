"""Any container FFmpeg reads -> 16 kHz mono float32, sniffed from the bytes, never from the name."""

from __future__ import annotations

import logging
from typing import BinaryIO

import av
import numpy as np

from auricle.audio import channels
from auricle.audio.errors import MIN_SECONDS, AudioTooLong, AudioTooShort, NoAudioStream, UndecodableAudio
from auricle.engine.protocol import SAMPLE_RATE, Samples

logger = logging.getLogger(__name__)


def probe(source: BinaryIO) -> None:
    """Fail fast, from the headers alone, on what is not audio; leaves `source` at its start.

    Full decoding waits for a worker, so that only as many uploads are decoded in memory as are being
    transcribed; this lets a request that can never work be refused without waiting in the queue.
    """
    try:
        with _open(source) as container:
            if not container.streams.audio:
                raise NoAudioStream
    finally:
        source.seek(0)


def _open(source: BinaryIO) -> av.container.InputContainer:
    try:
        return av.open(source, mode="r", metadata_errors="ignore")
    except (av.FFmpegError, ValueError, UnicodeDecodeError) as error:
        logger.debug("cannot open upload: %s", error)
        raise UndecodableAudio from error


def decode(source: BinaryIO, max_seconds: float) -> Samples:
    """Decode the first audio stream of `source`, downmixed and resampled for Whisper.

    A file that breaks off part-way keeps what decoded before the break, as FFmpeg's own tools do.
    """
    mix = _mix(source, max_seconds)
    with _open(source) as container:
        if not container.streams.audio:
            raise NoAudioStream
        chunks = _decode_stream(container, int(max_seconds * SAMPLE_RATE), max_seconds, mix)
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if samples.size < MIN_SECONDS * SAMPLE_RATE:
        raise AudioTooShort
    # Float sources can carry NaN or infinities, which would poison every window they touch. They are
    # corrupt samples, not loud ones: as +-1.0 they became full-scale clicks that Whisper misheard.
    return np.clip(np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0), -1.0, 1.0).astype(np.float32)


def _mix(source: BinaryIO, max_seconds: float) -> channels.Weights | None:
    """How to downmix `source`'s channels (`channels.py`), from a first pass over a multichannel file;
    leaves `source` at its start."""
    try:
        with _open(source) as container:
            stream = container.streams.audio[0] if container.streams.audio else None
            if stream is None or (stream.channels or 1) < 2:
                return None
            return channels.weights(container, int(max_seconds * (stream.rate or SAMPLE_RATE)))
    finally:
        source.seek(0)


def _decode_stream(
    container: av.container.InputContainer,
    max_samples: int,
    max_seconds: float,
    mix: channels.Weights | None = None,
) -> list[Samples]:
    stream = container.streams.audio[0]
    if mix is not None:  # every channel, each to be weighed
        resampler = av.AudioResampler(format="flt", rate=SAMPLE_RATE)
    else:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    chunks: list[Samples] = []
    total = 0
    try:
        for frame in container.decode(stream):
            frame.pts = None  # broken timestamps must not make the resampler drop or pad audio
            for out in resampler.resample(frame):
                chunks.append(_mono(out, mix))
                total += out.samples
            if total > max_samples:
                raise AudioTooLong(max_seconds)
        chunks.extend(_mono(out, mix) for out in resampler.resample(None))
    except (av.FFmpegError, ValueError) as error:
        if not chunks:
            raise UndecodableAudio from error
        logger.info("upload ends in undecodable data after %.1f s of audio: %s", total / SAMPLE_RATE, error)
    return chunks


def _mono(frame: av.AudioFrame, mix: channels.Weights | None) -> Samples:
    if mix is not None:
        mixed: Samples = (mix @ channels.by_channel(frame)).astype(np.float32, copy=False)
        return mixed
    samples: Samples = frame.to_ndarray().reshape(-1).astype(np.float32, copy=False)
    return samples
