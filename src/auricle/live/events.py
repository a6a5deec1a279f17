"""What a live session tells its client, before any wire format: `formats/realtime.py` shapes them."""

from __future__ import annotations

from dataclasses import dataclass

from auricle.engine.transcript import Segment, Transcript


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    item_id: str
    audio_start_ms: int


@dataclass(frozen=True, slots=True)
class SpeechStopped:
    item_id: str
    audio_end_ms: int


@dataclass(frozen=True, slots=True)
class Committed:
    item_id: str
    previous_item_id: str | None


@dataclass(frozen=True, slots=True)
class Cleared:
    pass


@dataclass(frozen=True, slots=True)
class Delta:
    item_id: str
    text: str
    segments: tuple[Segment, ...] | None = None
    """The final segments the text came from, whose words carry logprobs; None for a partial's words."""
    first: bool = False
    """Whether this delta starts the turn's text."""


@dataclass(frozen=True, slots=True)
class Completed:
    item_id: str
    transcript: Transcript


@dataclass(frozen=True, slots=True)
class Failed:
    item_id: str
    message: str
    code: str


LiveEvent = SpeechStarted | SpeechStopped | Committed | Cleared | Delta | Completed | Failed
