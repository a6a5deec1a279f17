"""Broken, odd and hostile uploads, built in memory by pure functions: nothing touches the disk.

They complement :mod:`tests.support.containers`, which makes well-formed files; these make the files a
careless or hostile client sends. The file builders return ``bytes``; the sample helpers they are fed
with (`speech`, `silence`, `white_noise`, `poisoned`) return arrays.
"""

from __future__ import annotations

import math
import random
import struct
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

Audio = NDArray[np.float32]
"""Samples shaped (channels, frames), in [-1, 1]."""

_PCM = 1
_IEEE_FLOAT = 3
_EXTENSIBLE = 0xFFFE
# The KSDATAFORMAT_SUBTYPE GUID tail shared by PCM and IEEE float in WAVE_FORMAT_EXTENSIBLE.
_SUBTYPE_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
# Speaker masks players expect for these channel counts; a WAV with more than two channels should carry one.
_CHANNEL_MASKS = {1: 0x4, 2: 0x3, 6: 0x3F, 8: 0x63F}


def random_bytes(size: int, seed: int) -> bytes:
    """Noise that no demuxer should mistake for a file; seeded so every run sends the same bytes."""
    return random.Random(seed).randbytes(size)


def text_file() -> bytes:
    """What a user who picked the wrong file uploads: notes, not audio."""
    lines = [f"{index}. Ask not what your country can do for you." for index in range(1, 200)]
    return "\n".join(["Meeting notes", *lines]).encode()


def speech(source: Path, rate: int, channels: int = 1, seconds: float | None = None) -> Audio:
    """The start of ``source`` mixed to mono at ``rate``, copied into every one of ``channels``."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
    chunks: list[Audio] = []
    with av.open(str(source)) as container:
        for frame in container.decode(audio=0):
            chunks.extend(_mono(out) for out in resampler.resample(frame))
        chunks.extend(_mono(out) for out in resampler.resample(None))
    mono = np.concatenate(chunks)
    if seconds is not None:
        mono = mono[: round(seconds * rate)]
    return np.tile(mono, (channels, 1)).astype(np.float32)


def _mono(frame: av.AudioFrame) -> Audio:
    return frame.to_ndarray().reshape(-1).astype(np.float32)


def silence(seconds: float, rate: int = 16000) -> Audio:
    """Digital silence: every sample exactly zero."""
    return np.zeros((1, round(seconds * rate)), dtype=np.float32)


def white_noise(seconds: float, rate: int = 16000, seed: int = 0) -> Audio:
    """Full-scale white noise, as loud as 16-bit PCM gets without clipping."""
    noise = np.random.default_rng(seed).uniform(-1.0, 1.0, (1, round(seconds * rate)))
    return noise.astype(np.float32)


def poisoned(audio: Audio, every: int) -> Audio:
    """``audio`` with a NaN, a +inf and a -inf in every ``every`` samples, as broken float code writes."""
    spoiled = audio.copy()
    spoiled[:, ::every] = np.nan
    spoiled[:, every // 3 :: every] = np.inf
    spoiled[:, 2 * every // 3 :: every] = -np.inf
    return spoiled


def wav(
    audio: Audio,
    rate: int,
    *,
    float32: bool = False,
    extensible: bool = False,
    declared_data_bytes: int | None = None,
) -> bytes:
    """A WAV file of ``audio`` written by hand, so its header can say things that are not true.

    ``declared_data_bytes`` replaces the true size of the data chunk (and the RIFF size follows it).
    """
    channels = audio.shape[0]
    interleaved = audio.T.reshape(-1)
    if float32:
        data = interleaved.astype("<f4").tobytes()
    else:
        data = (np.clip(interleaved, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    width = 4 if float32 else 2
    fmt = _fmt_chunk(channels, rate, width, float32=float32, extensible=extensible)
    size = len(data) if declared_data_bytes is None else declared_data_bytes
    riff_size = min(4 + len(fmt) + 8 + size, 0xFFFFFFFF)
    return b"RIFF" + struct.pack("<I", riff_size) + b"WAVE" + fmt + b"data" + struct.pack("<I", size) + data


def _fmt_chunk(channels: int, rate: int, width: int, *, float32: bool, extensible: bool) -> bytes:
    tag = _IEEE_FLOAT if float32 else _PCM
    block = channels * width
    basic = struct.pack(
        "<HHIIHH", _EXTENSIBLE if extensible else tag, channels, rate, rate * block, block, 8 * width
    )
    if not extensible:
        return b"fmt " + struct.pack("<I", len(basic)) + basic
    mask = _CHANNEL_MASKS[channels]
    extension = struct.pack("<HHIH", 22, 8 * width, mask, tag) + _SUBTYPE_TAIL
    body = basic + extension
    return b"fmt " + struct.pack("<I", len(body)) + body


def silent_flac(seconds: float, rate: int = 16000) -> bytes:
    """At least ``seconds`` of digital silence as FLAC, written by hand in FLAC's largest blocks.

    Each block of 65535 samples takes about 14 bytes, so four hours fit in about 50 kB, far below any
    upload limit: only the decoded length can catch it. FFmpeg's encoder would pick blocks of ~0.1 s,
    many times larger on disk and slower to read.
    """
    frames = max(1, math.ceil(seconds * rate / _FLAC_BLOCK))
    head = b"fLaC" + _flac_streaminfo(rate, frames * _FLAC_BLOCK)
    return head + b"".join(_silent_flac_frame(number) for number in range(frames))


_FLAC_BLOCK = 65535  # the most samples one FLAC frame may hold


def _flac_streaminfo(rate: int, total_samples: int) -> bytes:
    # Last metadata block (0x80), type STREAMINFO (0), 34 bytes long.
    header = struct.pack(">I", 0x80 << 24 | 34)
    blocks = struct.pack(">HH", _FLAC_BLOCK, _FLAC_BLOCK) + b"\x00" * 6  # frame sizes unknown
    # 20 bits rate, 3 bits channels - 1 (mono), 5 bits bits-per-sample - 1 (16), 36 bits total samples.
    packed = rate << 44 | (1 - 1) << 41 | (16 - 1) << 36 | total_samples
    return header + blocks + packed.to_bytes(8, "big") + b"\x00" * 16  # no MD5


def _silent_flac_frame(number: int) -> bytes:
    # Sync + fixed blocking; block size in 16 bits at the end of the header, rate and depth from
    # STREAMINFO; mono; the frame number UTF-8-coded as FLAC requires.
    header = b"\xff\xf8\x70\x00" + chr(number).encode("utf-8", "surrogatepass")
    header += struct.pack(">H", _FLAC_BLOCK - 1)
    header += bytes([_crc8(header)])
    # One CONSTANT subframe whose 16-bit value is 0.
    frame = header + b"\x00" + b"\x00\x00"
    return frame + struct.pack(">H", _crc16(frame))


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc << 1 ^ 0x07) & 0xFF if crc & 0x80 else crc << 1 & 0xFF
    return crc


def _crc16(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = (crc << 1 ^ 0x8005) & 0xFFFF if crc & 0x8000 else crc << 1 & 0xFFFF
    return crc
