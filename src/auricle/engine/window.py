"""Where Auricle's windows differ from faster-whisper's: short ones are encoded short, last ones are kept.

Short windows. faster-whisper pads every window's log-mel features with zero frames to 3,000 (30 s), so
a 5 s clip pays for a 30 s encoder pass, and the decoder cross-attends to 25 s of padding. CTranslate2's
encoder takes fewer frames, and its cost falls with them. Measured on base over 20 real clips of 2-10 s:
mean time 0.84 s -> 0.37 s, the same WER against references. The margin matters. With no padding kept,
Whisper never sees where speech ends and loops ("5 5 5 5 ..."); with 0.5 s it still looped; from 1 s on
the transcripts held, and 3 s gave the best WER of those tried for no measurable cost.

Last windows. When the decoder stops inside a sentence, faster-whisper drops that sentence and decodes
again from its start. In the window that holds the end of a span of speech (`speech.py`), the sentence
goes on in the next span, which is decoded on its own; decoding it again here would only cost a second
window for the same words, so they are kept, ending where the span ends. (When the decoder stops before
the end with no words pending, the rest is decoded in another window, as faster-whisper does.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from faster_whisper import WhisperModel

FRAMES_PER_SECOND = 100
LENGTH_STEP = 1.25


def content_frames(features: np.ndarray) -> int:
    """Frames before the zero padding that faster-whisper appends (a real log-mel frame is never all 0)."""
    energy = np.abs(features.reshape(-1, features.shape[-1])).sum(axis=0)
    spoken = np.flatnonzero(energy > 0)
    return int(spoken[-1]) + 1 if spoken.size else 0


def window_lengths(full_frames: int = 3000, step: float = LENGTH_STEP) -> list[int]:
    """The lengths a window may have, in frames: from the full window down, each a quarter shorter.

    Windows decode together only when their encoder outputs have one length (`batcher.py`), so lengths
    come in steps, and a window is padded up to the next one: at most a quarter more encoder work, and
    spans of long-form audio (24-30 s with their margin) mostly share the full length, so they share
    batches. A step depends on the window alone, never on what it is batched with, so a window's
    transcript is the same under load as alone.
    """
    lengths = [full_frames]
    while lengths[-1] > 2 * FRAMES_PER_SECOND:
        shorter = round(lengths[-1] / step / 2) * 2  # even: the encoder's convolution halves the frames
        lengths.append(shorter)
    return sorted(lengths)


def trimmed(features: np.ndarray, margin_frames: int, lengths: list[int]) -> np.ndarray:
    """The content and at least `margin_frames` of padding, up to the next allowed length."""
    wanted = min(content_frames(features) + margin_frames, features.shape[-1])
    keep = next((length for length in lengths if length >= wanted), features.shape[-1])
    return features[..., :keep]


class WindowedWhisperModel(WhisperModel):  # type: ignore[misc]  # faster-whisper ships no types
    """A `WhisperModel` with short windows (unless `margin_seconds` is None) and, if asked, kept endings."""

    def __init__(
        self,
        *args: Any,
        margin_seconds: float | None,
        keep_unfinished_endings: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.margin_frames = None if margin_seconds is None else round(margin_seconds * FRAMES_PER_SECOND)
        self.lengths = window_lengths(self.feature_extractor.nb_max_frames)
        self.keep_unfinished_endings = keep_unfinished_endings

    def encode(self, features: np.ndarray) -> Any:
        if self.margin_frames is not None:
            features = trimmed(features, self.margin_frames, self.lengths)
        return super().encode(features)

    def _split_segments_by_timestamps(  # noqa: PLR0917  # faster-whisper's signature
        self,
        tokenizer: Any,
        tokens: list[int],
        time_offset: float,
        segment_size: int,
        segment_duration: float,
        seek: int,
    ) -> tuple[list[dict[str, Any]], int, bool]:
        segments, next_seek, single_timestamp_ending = super()._split_segments_by_timestamps(
            tokenizer, tokens, time_offset, segment_size, segment_duration, seek
        )
        holds_the_end = segment_size < self.feature_extractor.nb_max_frames
        if not self.keep_unfinished_endings or not holds_the_end or next_seek >= seek + segment_size:
            return segments, next_seek, single_timestamp_ending
        unfinished = tokens[sum(len(segment["tokens"]) for segment in segments) :]
        if all(token >= tokenizer.timestamp_begin for token in unfinished):
            # The decoder stopped before the end of the window: the rest is decoded in another.
            return segments, next_seek, single_timestamp_ending
        start = segments[-1]["end"] if segments else time_offset
        if unfinished[0] >= tokenizer.timestamp_begin:  # the timestamp that opened it
            start = time_offset + (unfinished[0] - tokenizer.timestamp_begin) * self.time_precision
        segments.append(
            {"seek": seek, "start": start, "end": time_offset + segment_duration, "tokens": unfinished}
        )
        # As if the window ended on a timestamp: it has been read to its end.
        return segments, seek + segment_size, True
