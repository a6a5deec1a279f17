"""Raw audio as a live session sends it -> 16 kHz mono float32, piece by piece.

OpenAI's realtime formats: `audio/pcm` (16-bit little-endian mono at 24 kHz, the only rate OpenAI takes),
`audio/pcmu` and `audio/pcma` (G.711 mu-law and A-law, 8 kHz, one byte a sample). Each piece is
resampled by one FFmpeg resampler kept for the whole stream, so the filter's state carries over from one
piece to the next and nothing clicks where they join (a fresh resampler per piece would restart its
filter at every boundary). Peers got the rate wrong: speaches read 24 kHz as 16 kHz until a fix, which
plays the speech 1.5x slow to the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

import av
import numpy as np
import numpy.typing as npt

from auricle.engine.protocol import SAMPLE_RATE, Samples

Encoding = Literal["audio/pcm", "audio/pcmu", "audio/pcma"]
ENCODINGS: tuple[Encoding, ...] = ("audio/pcm", "audio/pcmu", "audio/pcma")
G711_RATE = 8_000


@dataclass(frozen=True, slots=True)
class PcmFormat:
    encoding: Encoding = "audio/pcm"
    rate: int = 24_000

    @property
    def bytes_per_sample(self) -> int:
        return 2 if self.encoding == "audio/pcm" else 1

    @classmethod
    def of(cls, encoding: Encoding, rate: int = 24_000) -> PcmFormat:
        """The format of `encoding`; G.711 is always 8 kHz, whatever rate is given."""
        return cls(encoding, rate if encoding == "audio/pcm" else G711_RATE)


class PcmStream:
    """Turns successive pieces of one stream into Whisper's samples; a piece may end mid-sample."""

    def __init__(self, pcm_format: PcmFormat) -> None:
        self.format = pcm_format
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        self._carry = b""  # the odd byte of a 16-bit sample split between two pieces

    def feed(self, data: bytes) -> Samples:
        data = self._carry + data
        usable = len(data) - len(data) % self.format.bytes_per_sample
        data, self._carry = data[:usable], data[usable:]
        if not data:
            return np.zeros(0, dtype=np.float32)
        return self._resample(_as_int16(data, self.format.encoding))

    def flush(self) -> Samples:
        """What the resampler still holds, at the end of the stream."""
        return _joined(self._resampler.resample(None))

    def _resample(self, pcm: npt.NDArray[np.int16]) -> Samples:
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.format.rate
        return _joined(self._resampler.resample(frame))


def _joined(frames: list[av.AudioFrame]) -> Samples:
    if not frames:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate([frame.to_ndarray().reshape(-1) for frame in frames]).astype(np.float32)


def _as_int16(data: bytes, encoding: Encoding) -> npt.NDArray[np.int16]:
    if encoding == "audio/pcm":
        return np.frombuffer(data, dtype="<i2").astype(np.int16)
    table = _mu_law_table() if encoding == "audio/pcmu" else _a_law_table()
    return table[np.frombuffer(data, dtype=np.uint8)]


@cache
def _mu_law_table() -> npt.NDArray[np.int16]:
    """ITU-T G.711 mu-law: every byte's 16-bit sample."""
    code = ~np.arange(256, dtype=np.int32) & 0xFF
    exponent = (code >> 4) & 0x07
    magnitude = (((code & 0x0F) << 3) + 0x84) << exponent
    sample = magnitude - 0x84
    return np.where(code & 0x80, -sample, sample).astype(np.int16)


@cache
def _a_law_table() -> npt.NDArray[np.int16]:
    """ITU-T G.711 A-law: every byte's 16-bit sample."""
    code = np.arange(256, dtype=np.int32) ^ 0x55
    exponent = (code >> 4) & 0x07
    mantissa = code & 0x0F
    magnitude = np.where(
        exponent == 0, (mantissa << 4) + 8, ((mantissa << 4) + 0x108) << np.maximum(exponent - 1, 0)
    )
    return np.where(code & 0x80, magnitude, -magnitude).astype(np.int16)
