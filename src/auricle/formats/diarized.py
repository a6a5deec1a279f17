"""Transcripts with speakers: `diarized_json` (OpenAI's `TranscriptionDiarized`), its stream events,
and speakers in `verbose_json`, SRT (`[A] ` prefixes) and WebVTT (`<v A>` voice tags).

The top-level `text` is the plain transcript's text, unchanged: diarization changes who, never what.
(OpenAI's examples write `Label: text` lines there; clients that want those build them from segments.)
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from auricle.engine.transcript import Transcript
from auricle.formats import bodies
from auricle.formats import events as stream_events
from auricle.formats.bodies import JsonObject
from auricle.formats.timestamps import clock
from auricle.speakers.assign import Spoken, segment_speaker
from auricle.speakers.turns import Diarization

SEGMENT_TYPE = "transcript.text.segment"


def segments(pieces: Sequence[Spoken]) -> list[JsonObject]:
    """`TranscriptionDiarizedSegment`s, ids `seg_0`, `seg_1`, ... as the live API numbers them."""
    return [
        {
            "type": SEGMENT_TYPE,
            "id": f"seg_{index}",
            "start": round(piece.start, 3),
            "end": round(piece.end, 3),
            "text": piece.text.strip(),
            "speaker": piece.speaker,
        }
        for index, piece in enumerate(_said(pieces))
    ]


def diarized_json(transcript: Transcript, pieces: Sequence[Spoken]) -> JsonObject:
    return {
        "task": "transcribe",
        "duration": transcript.duration,
        "text": transcript.text,
        "segments": segments(pieces),
        "usage": bodies.usage(transcript),
    }


def verbose_json(transcript: Transcript, diarization: Diarization, *, words: bool = False) -> JsonObject:
    """`verbose_json` with a `speaker` on each (whole) segment: OpenAI's schema allows more fields."""
    body = bodies.verbose_json(transcript, segments=True, words=words)
    for segment, out in zip(transcript.segments, body["segments"], strict=True):
        out["speaker"] = segment_speaker(segment, diarization)
    return body


def srt(pieces: Sequence[Spoken]) -> str:
    cues = [
        f"{n}\n{clock(p.start, ',')} --> {clock(p.end, ',')}\n[{p.speaker}] {_one_line(p.text)}\n"
        for n, p in enumerate(_said(pieces), start=1)
    ]
    return "\n".join(cues)


def vtt(pieces: Sequence[Spoken]) -> str:
    cues = [
        f"{clock(p.start, '.')} --> {clock(p.end, '.')}\n<v {_voice(p.speaker)}>"
        f"{_one_line(p.text).replace('-->', '--&gt;')}\n\n"
        for p in _said(pieces)
    ]
    return "WEBVTT\n\n" + "".join(cues)


def events(transcript: Transcript, pieces: Sequence[Spoken]) -> list[JsonObject]:
    """A diarized stream: one `transcript.text.segment` per segment, then `transcript.text.done`. No
    deltas as well, as the live API does: a client that joins both would print the text twice."""
    done: JsonObject = {"type": "transcript.text.done", "text": transcript.text}
    done["usage"] = stream_events.usage(transcript)
    return [*segments(pieces), done]


def encode(body: JsonObject) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def undiarized(transcript: Transcript) -> list[Spoken]:
    """Whole segments, all one speaker: a transcript that went through no speaker stage."""
    return [Spoken(s.start, s.end, s.text, "A") for s in transcript.segments]


def _said(pieces: Sequence[Spoken]) -> list[Spoken]:
    return [piece for piece in pieces if piece.text.strip()]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _voice(speaker: str) -> str:
    # A voice annotation ends at ">"; "&" and "<" would start an escape or a tag.
    return speaker.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
