"""In-memory audio fixtures built with PyAV, so tests never need a system ffmpeg.

Every helper returns ``bytes`` so a test can post them as an upload body without
touching the filesystem.
"""

from __future__ import annotations

import io
import math
import struct
import wave
import zlib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
from av.audio.frame import AudioFrame
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer


@dataclass(frozen=True)
class _Recipe:
    """How to produce one container: muxer, encoder and what the encoder accepts."""

    muxer: str
    codec: str
    sample_format: str
    # None keeps the source's value; a number pins it where the encoder is picky.
    rate: int | None = None
    layout: str | None = None
    options: dict[str, str] = field(default_factory=dict)


_OPUS = _Recipe("ogg", "libopus", "flt", rate=48000)

_RECIPES: dict[str, _Recipe] = {
    "flac": _Recipe("flac", "flac", "s16"),
    "mp3": _Recipe("mp3", "libmp3lame", "fltp"),
    # OpenAI accepts "mpga" as a separate extension, but it is the same MPEG-1
    # Layer III bitstream, so the bytes are identical to "mp3".
    "mpga": _Recipe("mp3", "libmp3lame", "fltp"),
    "mp4": _Recipe("mp4", "aac", "fltp"),
    # The "ipod" muxer is what ffmpeg picks for .m4a: MP4 with an M4A brand.
    "m4a": _Recipe("ipod", "aac", "fltp"),
    "mpeg": _Recipe("mpeg", "mp2", "s16"),
    # FFmpeg's native vorbis encoder is experimental and only handles stereo;
    # libvorbis is not compiled into PyAV's wheels.
    "ogg-vorbis": _Recipe("ogg", "vorbis", "fltp", layout="stereo", options={"strict": "experimental"}),
    # Ogg and WebM time Opus at 48 kHz whatever the input rate, so encoding at
    # 48 kHz keeps the file's clock and the encoder's in step.
    "ogg-opus": _OPUS,
    "oga": _OPUS,
    "webm": _Recipe("webm", "libopus", "flt", rate=48000),
    "wav": _Recipe("wav", "pcm_s16le", "s16"),
    "wav-float": _Recipe("wav", "pcm_f32le", "flt"),
    "aiff": _Recipe("aiff", "pcm_s16be", "s16"),
    # Raw ADTS AAC has no container index, which exercises duration probing.
    "aac": _Recipe("adts", "aac", "fltp"),
    "mkv-flac": _Recipe("matroska", "flac", "s16"),
}

CONTAINERS: tuple[str, ...] = tuple(_RECIPES)


def _pick_rate(codec_name: str, wanted: int) -> int:
    supported = av.Codec(codec_name, "w").audio_rates
    if not supported or wanted in supported:
        return wanted
    # Upsampling loses nothing, so prefer the closest rate above the source
    # (mp2 has no 8 kHz, for example).
    higher = [rate for rate in supported if rate >= wanted]
    return min(higher) if higher else max(supported)


def _add_audio_stream(output: OutputContainer, source: AudioStream, recipe: _Recipe) -> AudioStream:
    rate = recipe.rate or _pick_rate(recipe.codec, source.rate)
    # WAV without a channel mask decodes as "2 channels" (unordered), which
    # lame and mp2 reject; the default layout for the count is accepted by all.
    named = {1: "mono", 2: "stereo"}.get(source.channels, source.layout.name)
    layout = recipe.layout or named
    stream = output.add_stream(recipe.codec, rate=rate, options=recipe.options)
    if not isinstance(stream, AudioStream):  # codec names are plain str to mypy
        raise TypeError(f"{recipe.codec} is not an audio encoder")
    stream.layout = layout
    stream.format = recipe.sample_format
    # Samples-as-ticks keeps pts arithmetic exact for every encoder.
    stream.time_base = Fraction(1, rate)
    stream.codec_context.time_base = Fraction(1, rate)
    return stream


def _transcode(source: InputContainer, output: OutputContainer, recipe: _Recipe) -> None:
    in_stream = source.streams.audio[0]
    stream = _add_audio_stream(output, in_stream, recipe)
    # Opening now exposes the encoder's fixed frame size (aac 1024, opus 960...),
    # so the resampler can cut frames that the encoder will not reject.
    output.start_encoding()
    resampler = av.AudioResampler(
        format=recipe.sample_format,
        layout=stream.layout.name,
        rate=stream.rate,
        frame_size=stream.codec_context.frame_size or None,
    )
    next_pts = 0

    def emit(frames: list[AudioFrame]) -> None:
        nonlocal next_pts
        for frame in frames:
            frame.pts = next_pts
            frame.time_base = stream.codec_context.time_base
            next_pts += frame.samples
            output.mux(stream.encode(frame))

    for frame in source.decode(in_stream):
        emit(resampler.resample(frame))
    emit(resampler.resample(None))  # drain samples buffered for rate conversion
    output.mux(stream.encode(None))  # drain encoder look-ahead (lame, aac, opus)


def encode(source: Path, container: str) -> bytes:
    """Re-encode the first audio stream of ``source`` into ``container``.

    ``container`` is one of :data:`CONTAINERS`.
    """
    recipe = _RECIPES[container]
    buffer = io.BytesIO()
    with av.open(str(source)) as inp, av.open(buffer, "w", format=recipe.muxer) as out:
        _transcode(inp, out, recipe)
    return buffer.getvalue()


def video_without_audio(seconds: int = 1) -> bytes:
    """A tiny MP4 holding only a video track, for "no audio stream" errors."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        # mpeg4 is always built into FFmpeg; libx264 is optional in some builds.
        stream = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        for index in range(10 * seconds):
            frame = av.VideoFrame(32, 32, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([(index * 20) % 256]) * plane.buffer_size)
            frame.pts = index
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return buffer.getvalue()


def png_image(width: int = 8, height: int = 8) -> bytes:
    """A small valid PNG, built by hand so it needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    # Each scanline starts with filter byte 0 (None), followed by RGB pixels.
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def sine_wav(seconds: float, rate: int = 16000, channels: int = 1) -> bytes:
    """A 440 Hz 16-bit PCM WAV; deterministic audio of any requested length."""
    count = round(seconds * rate)
    samples = (int(0.3 * 32767 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(count))
    frames = b"".join(struct.pack("<h", value) * channels for value in samples)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(frames)
    return buffer.getvalue()
