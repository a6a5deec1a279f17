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

A region longer than a span is cut where Silero's chunking cuts it: at its last pause of 98 ms before
the limit. Cutting at the quietest 100 ms of the span's second half instead was tried: on audio that
repeats itself (jfk.flac six times over) it cut at every repeat, each span then held the sentence
twice, and tiny.en fell back to sampling and lost a sentence in 4 runs of 8 (1 of 8 with Silero's
cut). Spans never overlap either way.
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
    return [span for span in spans if _confident(span.audio(recording))]


def _confident(audio: Samples) -> bool:
    """Whether Silero is `CONFIDENT` of speech somewhere in `audio` (a second pass over the span alone:
    0.14 s per minute of audio)."""
    probabilities = get_vad_model()(np.pad(audio, (0, -len(audio) % VAD_CHUNK)))
    return float(np.max(probabilities)) >= CONFIDENT
