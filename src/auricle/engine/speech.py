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

from dataclasses import dataclass, replace

import numpy as np
from faster_whisper.vad import VadOptions, get_speech_timestamps, get_vad_model

from auricle.engine.level import brought_up
from auricle.engine.options import Chunking
from auricle.engine.protocol import SAMPLE_RATE, Samples

WINDOW_SECONDS = 30.0
MAX_PAUSE_SECONDS = 3.0
"""A longer pause ends a span: Whisper is used to pauses of a few seconds, and invents text in long
silence; a pause this long is also a natural place to cut."""
CONFIDENT = 0.8
"""A span is `sure` where Silero is this sure of speech at some moment of it. Its own onset threshold is
0.5, and Whisper invents words for whatever gets through ("Ha ha ha!" for a goat, "Music" for a flag's
flapping). On the corpus's eval items under 6 s, every non-speech span that got through peaked between
0.51 and 0.76, and 475 of 482 speech items peaked above 0.8. But so did 27 s of a Czech answering
machine's message (0.79), which was dropped whole; so an unsure span is transcribed too, and keeps only
the segments Whisper is sure of (`trust.py`)."""
VAD_CHUNK = 512


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    """Sample offsets into the whole recording."""
    sure: bool | None = None
    """Whether Silero was `CONFIDENT` of speech somewhere in it; None until `with_confidence` says."""

    @property
    def samples(self) -> int:
        return self.end - self.start

    @property
    def start_seconds(self) -> float:
        return self.start / SAMPLE_RATE

    @property
    def end_seconds(self) -> float:
        return self.end / SAMPLE_RATE

    def audio(self, recording: Samples) -> Samples:
        return recording[self.start : self.end]


def speech_spans(
    recording: Samples, max_seconds: float = WINDOW_SECONDS, chunking: Chunking | None = None
) -> list[Span]:
    """The recording's speech regions, in order, joined with the pauses between them into spans of at
    most `max_seconds`, a span ending where a pause is longer than `MAX_PAUSE_SECONDS`.

    With a request's `chunking` (`chunking_strategy` `server_vad`), Silero's regions are found with its
    settings, and each is a span of its own: the request chose where the audio is cut.
    """
    if chunking is not None:
        return _chunks(recording, max_seconds, chunking)
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


def whole(recording: Samples, max_seconds: float = WINDOW_SECONDS) -> list[Span]:
    """The whole recording as spans of at most `max_seconds`, one after another."""
    limit = int(max_seconds * SAMPLE_RATE)
    return [Span(start, min(start + limit, len(recording))) for start in range(0, len(recording), limit)]


def _chunks(recording: Samples, max_seconds: float, chunking: Chunking) -> list[Span]:
    options = VadOptions(
        threshold=chunking.threshold,
        min_silence_duration_ms=chunking.silence_duration_ms,
        speech_pad_ms=chunking.prefix_padding_ms,
        max_speech_duration_s=max_seconds,
    )
    regions = get_speech_timestamps(recording, options, sampling_rate=SAMPLE_RATE)
    # Silero gives neighbours half the pause each where padding would make them overlap.
    return [Span(int(region["start"]), int(region["end"])) for region in regions]


def with_confidence(recording: Samples, span: Span) -> Span:
    """`span`, saying whether Silero is `CONFIDENT` of speech somewhere in it: a second pass over the
    span alone (0.14 s per minute of audio), made on the span's own thread as it is transcribed rather
    than for all spans before the first is (it was half of the 2.5 s before a 10-minute stream's first
    span could start)."""
    return replace(span, sure=_confident(brought_up(span.audio(recording))))


def _confident(audio: Samples) -> bool:
    probabilities = get_vad_model()(np.pad(audio, (0, -len(audio) % VAD_CHUNK)))
    return float(np.max(probabilities)) >= CONFIDENT
