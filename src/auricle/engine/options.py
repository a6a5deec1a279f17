"""How one request wants its audio decoded."""

from __future__ import annotations

from dataclasses import dataclass

from auricle.engine.transcript import Task

TEMPERATURE_STEP = 0.2


def temperature_schedule(temperature: float) -> tuple[float, ...]:
    """The temperatures tried in turn while a window fails the quality thresholds.

    Like OpenAI's reference implementation: start at the requested temperature and raise it by 0.2 up to
    1.0. So 0 gives (0.0, 0.2, ..., 1.0) and 1.0 gives (1.0,).
    """
    if not 0.0 <= temperature <= 1.0:
        raise ValueError(f"temperature {temperature} is outside [0, 1]")
    steps = int((1.0 - temperature) / TEMPERATURE_STEP + 1e-9)  # never past 1.0
    return tuple(round(temperature + step * TEMPERATURE_STEP, 6) for step in range(steps + 1))


@dataclass(frozen=True, slots=True)
class Chunking:
    """OpenAI's `chunking_strategy` of type `server_vad`: the audio is cut wherever Silero hears a pause
    of `silence_duration_ms`, each piece transcribed on its own with `prefix_padding_ms` kept each side."""

    threshold: float = 0.5
    prefix_padding_ms: int = 300
    silence_duration_ms: int = 200


@dataclass(frozen=True, slots=True)
class DecodeOptions:
    task: Task = "transcribe"
    language: str | None = None
    prompt: str | None = None
    temperature: float = 0.0
    word_timestamps: bool = False
    chunking: Chunking | None = None
    """None: Auricle's own spans of speech (`speech.py`), as for `chunking_strategy=auto`."""
    languages: tuple[str, ...] = ()
    """What language detection may choose from, when `language` is None; () for any."""
    keywords: tuple[str, ...] = ()
    """Words and phrases to favour."""
    heard_before: tuple[tuple[str, float], ...] = ()
    """What language detection heard earlier in the same live session (`Transcript.detected` summed):
    when `language` is None, a span whose own is unclear takes the language most heard, these included."""
    draft: bool = False
    """A live turn's partial transcript, decoded again as more speech comes: one greedy pass over the
    audio as it is, no VAD spans and no fallbacks beyond a runaway window's (`whisper.py`)."""
    speech_heard: bool = False
    """The caller's own VAD heard speech in this audio (a live session's turn, found in the stream as it
    came). Where Silero, run again on the audio alone, finds none, the whole is still transcribed, as a
    span Silero was unsure of (`trust.py`): cut from its stream, Silero starts without the speech before
    and can miss a short turn it heard there ("ask not" of jfk.flac, peaking at 0.67 in the stream and
    0.46 alone)."""
