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
"ask" of jfk.flac); a region longer than a span is cut at its last short pause before the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from faster_whisper.vad import VadOptions, get_speech_timestamps

from auricle.engine.protocol import SAMPLE_RATE, Samples

WINDOW_SECONDS = 30.0
MAX_PAUSE_SECONDS = 3.0
"""A longer pause ends a span: Whisper is used to pauses of a few seconds, and invents text in long
silence; a pause this long is also a natural place to cut."""


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
    options = VadOptions(max_speech_duration_s=max_seconds)
    regions = get_speech_timestamps(recording, options, sampling_rate=SAMPLE_RATE)
    limit, longest_pause = int(max_seconds * SAMPLE_RATE), int(MAX_PAUSE_SECONDS * SAMPLE_RATE)
    spans: list[Span] = []
    for region in regions:
        start, end = int(region["start"]), int(region["end"])
        if spans and end - spans[-1].start <= limit and start - spans[-1].end <= longest_pause:
            spans[-1] = Span(spans[-1].start, end)
        else:
            spans.append(Span(start, end))
    return spans
