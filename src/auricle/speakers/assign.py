"""Speakers given to a transcript's text: segments split where the speaker changes between words.

Diarization changes who, never what: the pieces' texts joined are exactly the transcript's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from auricle.engine.transcript import Segment, Transcript, Word
from auricle.speakers.turns import Diarization


@dataclass(frozen=True, slots=True)
class Spoken:
    """A run of one speaker's words (a whole segment where it has no word timings)."""

    start: float
    end: float
    text: str
    """With Whisper's leading space, as `Segment.text`."""
    speaker: str


def spoken(transcript: Transcript, diarization: Diarization) -> list[Spoken]:
    pieces = [piece for segment in transcript.segments for piece in _split(segment, diarization)]
    return sorted(pieces, key=lambda piece: (piece.start, piece.end))


def segment_speaker(segment: Segment, diarization: Diarization) -> str:
    """The label of whoever talks longest in `segment` (for `verbose_json`, whose segments stay whole)."""
    return _label(diarization, diarization.speaker_at(segment.start, segment.end))


def _label(diarization: Diarization, index: int | None) -> str:
    labels = diarization.labels or ("A",)
    return labels[index] if index is not None else labels[0]


def _split(segment: Segment, diarization: Diarization) -> list[Spoken]:
    words = segment.words
    if not words or "".join(word.word for word in words) != segment.text:
        # Without words that spell the segment exactly, splitting could change the text: keep it whole.
        return [Spoken(segment.start, segment.end, segment.text, segment_speaker(segment, diarization))]
    runs: list[tuple[int | None, list[Word]]] = []
    for word in words:
        who = diarization.speaker_at(word.start, word.end)
        if runs and runs[-1][0] == who:
            runs[-1][1].append(word)
        else:
            runs.append((who, [word]))
    pieces = []
    for k, (who, run) in enumerate(runs):
        start = segment.start if k == 0 else run[0].start
        end = segment.end if k == len(runs) - 1 else run[-1].end
        start, end = _widened(diarization, who, start, end, segment)
        pieces.append(Spoken(start, end, "".join(word.word for word in run), _label(diarization, who)))
    return pieces


def _widened(
    diarization: Diarization, who: int | None, start: float, end: float, segment: Segment
) -> tuple[float, float]:
    """Where this speaker's turn goes on while another speaker talks (overlap), the piece covers it,
    within its segment: overlapped speech then gives overlapping pieces of different speakers."""
    for turn in diarization.turns:
        if turn.speaker == who and turn.start < end and turn.end > start:
            start = max(segment.start, min(start, turn.start))
            end = min(segment.end, max(end, turn.end))
    return round(start, 3), round(end, 3)
