"""faster-whisper's segments as Auricle's, placed where their span starts in the recording."""

from __future__ import annotations

from typing import Any

from auricle.engine.transcript import Segment, Word
from auricle.engine.window import FRAMES_PER_SECOND


def says_something(text: str) -> bool:
    """Whether a segment holds a word or a number: Whisper answers noise with " ." or " . . ." too."""
    return any(char.isalnum() for char in text)


def from_faster_whisper(raw: Any, offset: float) -> Segment:
    """faster-whisper's segment, with times moved `offset` seconds later (where its span starts)."""
    words = tuple(
        Word(w.word, round(w.start + offset, 3), round(w.end + offset, 3), float(w.probability))
        for w in raw.words or ()
    )
    return Segment(
        id=0,
        seek=int(raw.seek) + round(offset * FRAMES_PER_SECOND),
        start=round(raw.start + offset, 3),
        end=round(raw.end + offset, 3),
        text=raw.text,
        tokens=tuple(int(t) for t in raw.tokens),
        temperature=float(raw.temperature or 0.0),
        avg_logprob=float(raw.avg_logprob),
        compression_ratio=float(raw.compression_ratio),
        no_speech_prob=float(raw.no_speech_prob),
        words=words,
    )
