"""What a live transcription session is set to: its audio format, model, language and turn detection."""

from __future__ import annotations

from dataclasses import dataclass, field

from auricle.audio.pcm import PcmFormat
from auricle.live.turns import TurnDetection


@dataclass(frozen=True, slots=True)
class LiveConfig:
    model: str
    """The model id or alias turns are transcribed with (`whisper-1` unless the client names one)."""
    audio: PcmFormat = field(default_factory=PcmFormat)
    language: str | None = None
    prompt: str = ""
    turn_detection: TurnDetection | None = field(default_factory=TurnDetection)
    """None: the client commits each turn itself."""
    logprobs: bool = False
    languages: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    noise_reduction: str | None = None
    """`near_field` or `far_field`, kept and echoed as a client set it; Auricle filters no noise."""


@dataclass(frozen=True, slots=True)
class LiveLimits:
    draft_every_seconds: float = 0.5
    """How much more speech a turn needs before its partial transcript is decoded again."""
    draft_max_seconds: float = 28.0
    """Partials stop past this much of one turn (one window); the turn's final transcript covers it all."""
    busy_at: int = 1
    """A partial waits while the model has this many requests in flight (its workers' worth): partials
    use what the model has spare, and never slow down a turn's final transcript or a file request."""
    max_buffer_seconds: float = 900.0
    """Uncommitted audio a session may hold; an append beyond it is refused with an error event."""
