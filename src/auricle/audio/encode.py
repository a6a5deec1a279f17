"""One response's audio, encoded as it is made into a single streamable file of OpenAI's formats.

The container is opened once per response and written to a non-seekable sink, so its header leaves with
the first bytes and nothing is rewritten at the end: the whole stream is one file that ffprobe and
players read, never one file per piece (the peers' most-reported streaming bug).
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from typing import Literal

import av
import numpy as np
import numpy.typing as npt

from auricle.audio.tempo import Conditioner

ResponseFormat = Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
PCM_RATE = 24_000
"""OpenAI's pcm and wav: 24 kHz, 16-bit little-endian, mono (its SDK's LocalAudioPlayer assumes it)."""


@dataclass(frozen=True, slots=True)
class AudioFormat:
    media_type: str
    rate: int
    sample_format: str
    container: str | None = None
    codec: str | None = None
    bit_rate: int = 0
    options: tuple[tuple[str, str], ...] = ()
    """The encoder's own options."""


# The encoders' fast settings: at their defaults mp3, aac and opus cost 11-12 ms of CPU per second of
# hibari's speech here, more than hibari itself (7-14 ms), and halved its throughput over HTTP
# (bench/results/2026-12-07-speech-amd-epyc-default-encoders.md); LAME's -q 7 costs 5.7 ms, aac's fast
# coder 3.4 ms and opus at complexity 0 2.0 ms, for files of the same size.
FORMATS: dict[str, AudioFormat] = {
    "mp3": AudioFormat(
        "audio/mpeg", PCM_RATE, "s16p", "mp3", "libmp3lame", 64_000, (("compression_level", "7"),)
    ),
    # OpenAI's opus is Ogg Opus at 48 kHz.
    "opus": AudioFormat("audio/opus", 48_000, "s16", "ogg", "libopus", 32_000, (("compression_level", "0"),)),
    "aac": AudioFormat("audio/aac", PCM_RATE, "fltp", "adts", "aac", 64_000, (("aac_coder", "fast"),)),
    "flac": AudioFormat("audio/flac", PCM_RATE, "s16", "flac", "flac"),
    "wav": AudioFormat("audio/wav", PCM_RATE, "s16"),
    "pcm": AudioFormat("audio/pcm", PCM_RATE, "s16"),
}


def wav_header(rate: int = PCM_RATE) -> bytes:
    """OpenAI's streamed WAV header: 16-bit mono PCM whose RIFF and data sizes are both 0xFFFFFFFF."""
    unknown = 0xFFFFFFFF
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    return (
        b"RIFF"
        + struct.pack("<I", unknown)
        + b"WAVEfmt "
        + struct.pack("<I", 16)
        + fmt
        + b"data"
        + struct.pack("<I", unknown)
    )


class _Sink(io.RawIOBase):
    """A write-only, non-seekable file: what the muxer writes waits here until taken."""

    def __init__(self) -> None:
        self._pending = bytearray()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._pending += data
        return len(data)

    def take(self) -> bytes:
        taken = bytes(self._pending)
        self._pending.clear()
        return taken


class StreamEncoder:
    """`encode` each piece's samples as they come, then `finish`; each returns the bytes ready to send."""

    def __init__(self, response_format: ResponseFormat, input_rate: int, speed: float = 1.0) -> None:
        self.format = FORMATS[response_format]
        self._conditioner = Conditioner(input_rate, self.format.rate, self.format.sample_format, speed)
        self.samples_out = 0
        self._header = wav_header() if response_format == "wav" else b""
        self._sink = _Sink()
        self._container: av.container.OutputContainer | None = None
        self._stream: av.audio.stream.AudioStream | None = None
        if self.format.container is not None:
            self._open()

    @property
    def seconds(self) -> float:
        """Seconds of audio encoded so far."""
        return self.samples_out / self.format.rate

    def _open(self) -> None:
        # No ID3 tag before the first frame; Ogg pages of 0.2 s, not the default 1 s, so that the first
        # clause's audio leaves with it rather than with the next piece.
        options = {"mp3": {"id3v2_version": "0"}, "ogg": {"page_duration": "200000"}}.get(
            self.format.container or "", {}
        )
        container = av.open(self._sink, mode="w", format=self.format.container, options=options)
        assert self.format.codec is not None
        stream = container.add_stream(
            self.format.codec, rate=self.format.rate, layout="mono", options=dict(self.format.options)
        )
        assert isinstance(stream, av.audio.stream.AudioStream)
        stream.format = self.format.sample_format
        if self.format.bit_rate:
            stream.bit_rate = self.format.bit_rate
        self._container, self._stream = container, stream

    def encode(self, samples: npt.NDArray[np.float32]) -> bytes:
        return self._write(self._conditioner.push(np.clip(samples, -1.0, 1.0).astype(np.float32)))

    def finish(self) -> bytes:
        data = self._write(self._conditioner.flush())
        if self._container is not None and self._stream is not None:
            for packet in self._stream.encode(None):
                self._container.mux(packet)
            self._container.close()
        return data + self._sink.take()

    def _write(self, frames: list[av.AudioFrame]) -> bytes:
        header, self._header = self._header, b""
        raw = bytearray(header)
        for frame in frames:
            self.samples_out += frame.samples
            if self._stream is None or self._container is None:
                raw += frame.to_ndarray().astype("<i2").tobytes()
                continue
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
        return bytes(raw) + self._sink.take()
