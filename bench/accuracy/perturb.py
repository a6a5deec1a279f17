"""The same recordings at another level, length and layout: what users send that the corpus is not.

The corpus's items are studio-level and end in silence; push-to-talk clips, voice notes, far
microphones, multitrack files and phone calls are none of those. Each transformation takes a recording
as 16 kHz mono samples and gives the bytes both sides are sent.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Callable, Sequence
from dataclasses import replace

import av
import numpy as np
import numpy.typing as npt
from av.audio.stream import AudioStream

from auricle.audio.decode import decode
from auricle.engine.protocol import SAMPLE_RATE, Samples
from bench.accuracy.items import Item, decoded_seconds

FRAME = SAMPLE_RATE // 100
"""10 ms."""
CHANNELS, SPEECH_CHANNEL = 6, 2
PADDING_SECONDS = 2.0


def quiet(samples: Samples) -> bytes:
    """20 dB down."""
    return wav(samples * 0.1)


def loud(samples: Samples) -> bytes:
    """10 dB up, or as near as the loudest sample allows without clipping."""
    peak = float(np.abs(samples).max()) or 1.0
    return wav(samples * min(10 ** (10 / 20), 0.999 / peak))


def trimmed(samples: Samples) -> bytes:
    """Cut after the last 10 ms whose RMS is over a tenth of the loudest 10 ms: where speech ends."""
    return wav(samples[: speech_end(samples)])


def padded(samples: Samples) -> bytes:
    """2 s of silence before and after."""
    silence = np.zeros(round(PADDING_SECONDS * SAMPLE_RATE), dtype=np.float32)
    return wav(np.concatenate([silence, samples, silence]))


def multichannel(samples: Samples) -> bytes:
    """The speech in one channel of six, the others silent, as FLAC: lossless, and a long recording stays
    under the 25 MB upload limit (168 s of six-channel WAV is 32 MB, refused with a 413 as OpenAI does)."""
    planes = np.zeros((CHANNELS, len(samples)), dtype=np.float32)
    planes[SPEECH_CHANNEL] = samples
    return flac(planes)


def telephone(samples: Samples) -> bytes:
    """Band-limited to a phone line's 8 kHz rate."""
    return encoded(samples, "wav", "pcm_s16le", "s16", rate=8000)


def mp3(samples: Samples) -> bytes:
    """64 kbps MP3."""
    return encoded(samples, "mp3", "libmp3lame", "fltp", rate=SAMPLE_RATE, bit_rate=64_000)


SUFFIXES = {"mp3": "mp3", "multichannel": "flac"}
PERTURBATIONS: dict[str, Callable[[Samples], bytes]] = {
    "quiet": quiet,
    "trimmed": trimmed,
    "padded": padded,
    "loud": loud,
    "multichannel": multichannel,
    "telephone": telephone,
    "mp3": mp3,
}


def perturbed(item: Item, name: str, samples: Samples) -> Item:
    """`item` as transformation `name` makes it, `samples` being its decoded audio."""
    data = PERTURBATIONS[name](samples)
    return replace(
        item,
        key=f"{item.key}@{name}",
        filename=f"{item.filename.rsplit('.', 1)[0]}.{SUFFIXES.get(name, 'wav')}",
        data=data,
        duration=decoded_seconds(data, item.duration),
        perturbation=name,
    )


def variants(item: Item, names: Sequence[str]) -> list[Item]:
    """`item` through each of the transformations `names`, in that order."""
    if not names:
        return []
    samples = decode(io.BytesIO(item.data), max_seconds=4 * 3600)
    return [perturbed(item, name, samples) for name in names]


def speech_end(samples: Samples) -> int:
    """The sample after the last 10 ms frame whose RMS is over a tenth of the loudest frame's."""
    frames = len(samples) // FRAME
    if frames == 0:
        return len(samples)
    rms = np.sqrt(np.mean(np.square(samples[: frames * FRAME].reshape(frames, FRAME)), axis=1))
    loud_frames = np.flatnonzero(rms > 0.1 * rms.max())
    return (int(loud_frames[-1]) + 1) * FRAME if loud_frames.size else len(samples)


def wav(samples: npt.NDArray[np.float32]) -> bytes:
    """16-bit PCM WAV at 16 kHz; (channels, samples) for more than one channel."""
    planes = samples.reshape(1, -1) if samples.ndim == 1 else samples
    pcm = (np.clip(planes.T, -1.0, 1.0) * 32767).round().astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(planes.shape[0])
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(pcm.tobytes())
    return buffer.getvalue()


def encoded(
    samples: Samples, muxer: str, codec: str, sample_format: str, *, rate: int, bit_rate: int = 0
) -> bytes:
    """Mono `samples` encoded with PyAV (FFmpeg resamples to the encoder's `rate`)."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=muxer) as output:
        stream = output.add_stream(codec, rate=rate, layout="mono")
        if not isinstance(stream, AudioStream):  # codec names are plain str to mypy
            raise TypeError(f"{codec} is not an audio encoder")
        stream.format = sample_format
        if bit_rate:
            stream.bit_rate = bit_rate
        frame_size = stream.codec_context.frame_size or None  # MP3 takes frames of exactly 1,152
        resampler = av.AudioResampler(format=sample_format, layout="mono", rate=rate, frame_size=frame_size)
        frame = av.AudioFrame.from_ndarray(
            np.clip(samples, -1.0, 1.0).reshape(1, -1).astype(np.float32), format="flt", layout="mono"
        )
        frame.sample_rate = SAMPLE_RATE
        for out in [*resampler.resample(frame), *resampler.resample(None)]:
            output.mux(stream.encode(out))
        output.mux(stream.encode(None))
    return buffer.getvalue()


def flac(planes: npt.NDArray[np.float32]) -> bytes:
    """(channels, samples) at 16 kHz as 16-bit FLAC, in FLAC's own layout for that many channels."""
    pcm = (np.clip(planes.T, -1.0, 1.0) * 32767).round().astype("<i2")
    layout = {1: "mono", 2: "stereo", 6: "5.1"}[planes.shape[0]]
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="flac") as output:
        stream = output.add_stream("flac", rate=SAMPLE_RATE, layout=layout)
        if not isinstance(stream, AudioStream):
            raise TypeError("flac is not an audio encoder")
        stream.format = "s16"
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout=layout)
        frame.sample_rate = SAMPLE_RATE
        output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
    return buffer.getvalue()
