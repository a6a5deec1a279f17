"""Speech a span's transcript left out, and where to cut the span to transcribe it after all.

Whisper sometimes stops early in a window full of speech: its last timestamp says speech ended, and
faster-whisper moves on to the next window, so the rest of the window is never transcribed. On the
corpus's eval subset (d9235c6), 3 spans of 665 items did so, each for a reason a user would see:
- a 22.6 s French phone menu came back as its last two sentences, timed 0-7 s (15.6 s left out);
- a Czech answering machine's message lost its last sentence (20.3 s of a 27 s span; 6.7 s left out);
- `multilingual.mp3`'s span that starts with English and goes on in German was transcribed in English,
  which stopped where the German began (30.9 s of a span to 51.3 s): 20 s of German left out.
A span holds no pause longer than 3 s (`speech.MAX_PAUSE_SECONDS`) and ends where speech ends, so a
transcript that ends more than `LEFT_OUT_SECONDS` before its span does has left speech out. No other
span of those 665 items, and no span of bare faster-whisper's answers, ended more than 3 s early.

Where a span's last sentence is unfinished (`window.py` keeps it, ending where the span ends), its end
says nothing, and the same French menu, at the end of a long recording, came back as those two
sentences timed over the whole 22.8 s span. So a segment is taken to stop, at the latest,
`SECONDS_PER_TOKEN` per token after its start: of the 1,145 segments of a run over the eval subset, the
median was 0.23 s per token, and none of more than one token took over 0.61, but that menu's (0.71).

Whisper can skip the start of a span, or a stretch inside it, as well: with short windows the same
menu's last span (145.2-168.0 s) came back as its last two sentences, timed 159.6-167.6, and 14 s of
speech bare faster-whisper read were gone. So the longest stretch of a span that no segment's words
cover, at its start, between segments or at its end, is what counts.

Such a span is cut in two at the pause nearest to where the words stop before that stretch (or start
after it, when it opens the span), and each part is transcribed on its own (with its own language,
where none was asked for). The first part is decoded again rather than kept, since the text the
decoder gave for it may be the skipped ending's (as in the French menu's).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from faster_whisper.vad import VadOptions, get_speech_timestamps

from auricle.engine.protocol import SAMPLE_RATE, Samples
from auricle.engine.speech import MAX_PAUSE_SECONDS, Span
from auricle.engine.transcript import Segment

LEFT_OUT_SECONDS = MAX_PAUSE_SECONDS + 1.0
SECONDS_PER_TOKEN = 0.5
MIN_PART_SECONDS = 1.0
"""Neither part of a cut span is shorter: Whisper makes little of less."""
PAUSE = VadOptions(min_silence_duration_ms=100, speech_pad_ms=0)
"""Silero's regions inside a span, with every pause of 100 ms or more between them."""


def left_out(segments: Sequence[Segment], span: Span) -> float | None:
    """Where to cut `span` to transcribe the speech its transcript left out, in seconds into the
    recording: where the words stop before the longest stretch of the span that has none, or where they
    start when that stretch opens the span; None when no stretch lasts over `LEFT_OUT_SECONDS`."""
    heard = span.start_seconds
    longest, at = LEFT_OUT_SECONDS, None
    for index, segment in enumerate(sorted(segments, key=lambda segment: segment.start)):
        if segment.start - heard > longest:
            longest, at = segment.start - heard, (segment.start if index == 0 else heard)
        heard = max(heard, _stops(segment))
    if span.end_seconds - heard > longest:
        at = heard
    return at


def _stops(segment: Segment) -> float:
    """Where `segment`'s words end: its own end, unless its words could not fill the time to it."""
    return min(segment.end, segment.start + SECONDS_PER_TOKEN * len(segment.tokens))


def cut(recording: Samples, span: Span, near_seconds: float) -> tuple[Span, Span] | None:
    """`span` in two parts at the pause inside it nearest to `near_seconds`, or at `near_seconds` itself
    where it has no pause; None when either part would be shorter than `MIN_PART_SECONDS`."""
    at = _nearest_pause(span.audio(recording), round(near_seconds * SAMPLE_RATE) - span.start)
    shortest = round(MIN_PART_SECONDS * SAMPLE_RATE)
    if at < shortest or span.samples - at < shortest:
        return None
    middle = span.start + at
    return Span(span.start, middle, span.sure), Span(middle, span.end, span.sure)


def _nearest_pause(audio: Samples, near: int) -> int:
    """The middle of the pause between Silero's regions of `audio` nearest to sample `near`."""
    regions = get_speech_timestamps(audio, PAUSE, sampling_rate=SAMPLE_RATE)
    pauses = [(int(before["end"]) + int(after["start"])) // 2 for before, after in pairwise(regions)]
    return min(pauses, key=lambda middle: abs(middle - near), default=near)
