"""Where the speech is: Silero VAD's speech regions, gathered into spans of at most one 30 s window.

Each span is transcribed on its own, so the spans of a long recording are decoded side by side and their
windows share batches (`batcher.py`), where faster-whisper decodes one window after another, each waiting
for the text of the one before. Silence between spans is never encoded, and Whisper cannot invent a
sentence for it.

A span is a stretch of the recording as it is, pauses and all. faster-whisper's VAD filter instead joins
the speech regions end to end, shortening every pause to 0.8 s; over the benchmark's referenced
long-form (100 s, three levels, WAV input) that cost words: WER 4.0% joined against 2.5% kept whole,
at 6% less speed. A region ends at a pause of 2 s and keeps 400 ms of audio each side, as in
faster-whisper's filter (cutting at 160 ms pauses, as its batched pipeline does, cost tiny.en the word
"ask" of jfk.flac).

A region longer than a span (continuous speech, with no pause of 2 s) is cut at its quietest point in
the second half of the span: a breath or the gap between two words, found by the energy of the audio
over 100 ms, rather than where Silero's chunking happens to reach the limit (its own cut is at the last
98 ms pause, or, with none, in the middle of a word, which both sides then transcribe). Spans never
overlap, so no word is heard by two of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from faster_whisper.vad import VadOptions, get_speech_timestamps, get_vad_model

from auricle.engine.protocol import SAMPLE_RATE, Samples

WINDOW_SECONDS = 30.0
MAX_PAUSE_SECONDS = 3.0
"""A longer pause ends a span: Whisper is used to pauses of a few seconds, and invents text in long
silence; a pause this long is also a natural place to cut."""
CONFIDENT = 0.8
"""A span is transcribed only where Silero is this sure of speech at some moment of it. Its own onset
threshold is 0.5, and Whisper invents words for whatever gets through ("Ha ha ha!" for a goat, "Music"
for a flag's flapping). On the corpus's eval items under 6 s, every non-speech span that got through
peaked between 0.51 and 0.76, and 475 of 482 speech items peaked above 0.8; the other 7 (0.53-0.78)
all came back wrong anyway ("I'm sorry, I'm sorry." for "four")."""
VAD_CHUNK = 512
HOP = SAMPLE_RATE // 100
"""Energy is measured every 10 ms..."""
QUIET_HOPS = 10
"""...and averaged over 100 ms, so that a cut falls in a pause, not in the closure of a "p" or "t"."""


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    """Sample offsets into the whole recording."""

    @property
    def samples(self) -> int:
        return self.end - self.start

    @property
    def start_seconds(self) -> float:
        return self.start / SAMPLE_RATE

    def audio(self, recording: Samples) -> Samples:
        return recording[self.start : self.end]


def speech_spans(recording: Samples, max_seconds: float = WINDOW_SECONDS) -> list[Span]:
    """The recording's speech regions, in order, joined with the pauses between them into spans of at
    most `max_seconds`, a span ending where a pause is longer than `MAX_PAUSE_SECONDS`."""
    regions = get_speech_timestamps(recording, VadOptions(), sampling_rate=SAMPLE_RATE)
    limit, longest_pause = int(max_seconds * SAMPLE_RATE), int(MAX_PAUSE_SECONDS * SAMPLE_RATE)
    pieces = [
        piece
        for region in regions
        for piece in _cut(recording, Span(int(region["start"]), int(region["end"])), limit)
    ]
    spans: list[Span] = []
    for piece in pieces:
        if spans and piece.end - spans[-1].start <= limit and piece.start - spans[-1].end <= longest_pause:
            spans[-1] = Span(spans[-1].start, piece.end)
        else:
            spans.append(piece)
    return [span for span in spans if _confident(span.audio(recording))]


def _confident(audio: Samples) -> bool:
    """Whether Silero is `CONFIDENT` of speech somewhere in `audio` (a second pass over the span alone:
    0.14 s per minute of audio)."""
    probabilities = get_vad_model()(np.pad(audio, (0, -len(audio) % VAD_CHUNK)))
    return float(np.max(probabilities)) >= CONFIDENT


def _cut(recording: Samples, region: Span, limit: int) -> list[Span]:
    """`region` in pieces of at most `limit` samples, each cut at the quietest point it could be."""
    pieces: list[Span] = []
    start = region.start
    while region.end - start > limit:
        cut = quietest(recording, start + limit // 2, start + limit)
        pieces.append(Span(start, cut))
        start = cut
    pieces.append(Span(start, region.end))
    return pieces


def quietest(recording: Samples, low: int, high: int) -> int:
    """The sample in [low, high) at the middle of the 100 ms with the least energy."""
    hops = (high - low) // HOP
    if hops <= QUIET_HOPS:
        return (low + high) // 2
    frames = recording[low : low + hops * HOP].astype(np.float64).reshape(hops, HOP)
    energy = np.convolve((frames**2).mean(axis=1), np.ones(QUIET_HOPS) / QUIET_HOPS, mode="valid")
    return low + int(np.argmin(energy)) * HOP + QUIET_HOPS * HOP // 2
