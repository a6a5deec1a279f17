"""Where the speech is: Silero VAD's speech regions, packed into spans of at most one 30 s window.

Each span is transcribed on its own, so the spans of a long recording are decoded side by side and their
windows share batches (`batcher.py`), where faster-whisper decodes one window after another, each waiting
for the text of the one before. Silence between regions is cut out, so it is never encoded, and Whisper
cannot invent a sentence for it. A region ends at a pause of 2 s and keeps 400 ms of audio each side, as
in faster-whisper's VAD filter, so Whisper still hears the pauses inside sentences (cutting at 160 ms
pauses, as faster-whisper's batched pipeline does, cost tiny.en the word "ask" of jfk.flac); a region
longer than a span is cut at its last short pause before the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from faster_whisper.vad import VadOptions, get_speech_timestamps

from auricle.engine.protocol import SAMPLE_RATE, Samples

WINDOW_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Span:
    regions: tuple[dict[str, int], ...]
    """Speech regions as {"start", "end"} sample offsets into the whole recording, in order."""

    @property
    def samples(self) -> int:
        return sum(region["end"] - region["start"] for region in self.regions)

    @property
    def start_seconds(self) -> float:
        return self.regions[0]["start"] / SAMPLE_RATE

    def audio(self, recording: Samples) -> Samples:
        """The span's regions, joined: what the model hears."""
        return np.concatenate([recording[region["start"] : region["end"]] for region in self.regions])


def speech_spans(recording: Samples, max_seconds: float = WINDOW_SECONDS) -> list[Span]:
    """The recording's speech, packed greedily in order into spans of at most `max_seconds`."""
    options = VadOptions(max_speech_duration_s=max_seconds)
    regions = get_speech_timestamps(recording, options, sampling_rate=SAMPLE_RATE)
    limit = int(max_seconds * SAMPLE_RATE)
    spans: list[Span] = []
    packed: list[dict[str, int]] = []
    for region in regions:
        if packed and Span(tuple(packed)).samples + region["end"] - region["start"] > limit:
            spans.append(Span(tuple(packed)))
            packed = []
        packed.append({"start": int(region["start"]), "end": int(region["end"])})
    if packed:
        spans.append(Span(tuple(packed)))
    return spans
