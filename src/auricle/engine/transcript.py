"""What recognition produces, independent of any response format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Task = Literal["transcribe", "translate"]


@dataclass(frozen=True, slots=True)
class Word:
    word: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True, slots=True)
class Segment:
    id: int
    seek: int
    start: float
    end: float
    text: str
    tokens: tuple[int, ...]
    temperature: float
    avg_logprob: float
    compression_ratio: float
    no_speech_prob: float
    words: tuple[Word, ...] = ()
    language: str | None = None
    """ISO-639-1 code of what this segment was transcribed in, where spans may differ in language."""


@dataclass(frozen=True, slots=True)
class Transcript:
    task: Task
    language: str
    """ISO-639-1 code of the spoken language (for a translation, of the source)."""
    duration: float
    segments: tuple[Segment, ...]
    detected: tuple[tuple[str, float], ...] = ()
    """What language detection heard in the spans with text: each language with its seconds of speech
    times how sure each guess was. Empty when the request named the language."""

    @property
    def text(self) -> str:
        # Segments carry Whisper's leading space; OpenAI's top-level text does not.
        return "".join(segment.text for segment in self.segments).strip()

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(word for segment in self.segments for word in segment.words)
