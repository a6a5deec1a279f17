"""SRT and WebVTT bodies, one cue per segment."""

from __future__ import annotations

from auricle.engine.transcript import Segment, Transcript
from auricle.formats.timestamps import clock


def srt(transcript: Transcript) -> str:
    cues = [
        f"{number}\n{clock(s.start, ',')} --> {clock(s.end, ',')}\n{_one_line(s.text)}\n"
        for number, s in enumerate(_spoken(transcript), start=1)
    ]
    return "\n".join(cues)


def vtt(transcript: Transcript) -> str:
    # OpenAI's cues carry no numeric identifiers and the body ends with a blank line. "-->" in a cue's
    # text would make it a timing line, so it is escaped; players still show "-->".
    cues = [
        f"{clock(s.start, '.')} --> {clock(s.end, '.')}\n{_one_line(s.text).replace('-->', '--&gt;')}\n\n"
        for s in _spoken(transcript)
    ]
    return "WEBVTT\n\n" + "".join(cues)


def _spoken(transcript: Transcript) -> list[Segment]:
    # An empty cue is invalid in both formats, so segments without text are left out.
    return [segment for segment in transcript.segments if segment.text.strip()]


def _one_line(text: str) -> str:
    # A blank line inside a cue would end it early in both formats.
    return " ".join(text.split())
