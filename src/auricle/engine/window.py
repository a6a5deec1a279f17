"""Where Auricle's windows differ from faster-whisper's: short ones are encoded short, last ones are kept.

Short windows. faster-whisper pads every window's log-mel features with zero frames to 3,000 (30 s), so
a 5 s clip pays for a 30 s encoder pass, and the decoder cross-attends to 25 s of padding. CTranslate2's
encoder takes fewer frames, and its cost falls with them. Measured on base over 20 real clips of 2-10 s:
mean time 0.84 s -> 0.37 s, the same WER against references. The margin matters. With no padding kept,
Whisper never sees where speech ends and loops ("5 5 5 5 ..."); with 0.5 s it still looped; from 1 s on
most transcripts held, and 3 s gave the best WER of those tried for no measurable cost.

Whisper was trained on 30 s windows only, so a short one is never quite safe: on 120 short corpus clips
with the language given, a 3 s margin needed a hotter temperature on 39 clips where the full window
needed it on 22, and the 2.5 s prompt "press 3 for advanced options" came back as "Press 3 4 4 5 5 5 5".
So a short window is decoded once, with timestamps beyond its length suppressed (the decoder cannot
place words in audio it was not given: 31 fallbacks instead of 39) and a token budget for its length;
when that transcript fails Whisper's quality checks or runs away (`runaway.py`), the window is decoded
again at the full 30 s with the temperature fallback, as faster-whisper decodes it, except that the
fallback ends where hotter will not help and each decode stops at the tokens the audio could hold
(`fallback.py`).

A short window is never encoded shorter than `shortest_seconds` (15 s in the default settings). The
margin alone puts a 1-3 s clip in a 4-6 s window, and there Whisper misreads words it reads right at
30 s: "Trunk Cating Ariel" for "truncating audio", "Hi my world", "Enableed". On 150 English and 160
French, Spanish, Russian and Italian phone prompts kept out of the eval subset, the 4-6 s windows gave
8.8% and 29.2% WER, full 30 s windows 7.1% and 28.4%, and windows of at least 15 s 7.5% and 28.0%; on
260 clips of every source and 13 languages, 66.9%, 66.0% and 65.6%; a 10 s floor gained nothing on the
English. A 15 s window costs about 0.15 s more per clip than a 4-6 s one, and 0.4 s less than a full one
(bare faster-whisper: 6.6% on the English prompts). The longer padding also invites Whisper to write
"You" for a chime, as it does in a full window; `trust.py` drops that.

Nor is a window encoded short when its content and margin need more than `longest_short_seconds` (16 s
in the default settings): then it is encoded whole. The 19.2 s and 24 s steps saved a fifth of an
encoder pass on spans of 12-21 s, where the encoder is a small share of the work, and were where
Whisper strayed most: on CPUs with AVX-512 VNNI, a 18.6 s span of LibriVox read in a 24 s window
gave "One less" for "Unless", and the span prompted with its text lost an "ask" of jfk.flac (tiny.en,
5.7% WER against faster-whisper's 2.9%; whole windows 2.9%).

Last windows. When the decoder stops inside a sentence, faster-whisper drops that sentence and decodes
again from its start. In the window that holds the end of a span of speech (`speech.py`), the sentence
goes on in the next span, which is decoded on its own; decoding it again here would only cost a second
window for the same words, so they are kept, ending where the span ends. (When the decoder stops before
the end with no words pending, the rest is decoded in another window, as faster-whisper does.)
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.audio import pad_or_trim

from auricle.engine.fallback import checks, failed, given_up, hopeless
from auricle.engine.runaway import (
    echoes,
    ran_away,
    repeats_itself,
    token_budget,
    too_compressible_only,
    without_loops,
)
from auricle.engine.token_limit import longest_output, max_new_tokens_for, token_cap

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


def trimmed(
    features: np.ndarray, margin_frames: int, lengths: list[int], shortest_frames: int = 0
) -> np.ndarray:
    """The content and at least `margin_frames` of padding, but no fewer than `shortest_frames`, up to
    the next allowed length."""
    wanted = min(max(content_frames(features) + margin_frames, shortest_frames), features.shape[-1])
    keep = next((length for length in lengths if length >= wanted), features.shape[-1])
    return features[..., :keep]


@dataclass(frozen=True, slots=True)
class _Encoded:
    """The window last encoded on a thread: its content's frames and, when it was encoded shorter than
    30 s, its full features, kept to decode it again the safe way."""

    content_frames: int
    full_features: np.ndarray | None = None

    @property
    def content_seconds(self) -> float:
        return self.content_frames / FRAMES_PER_SECOND


class WindowedWhisperModel(WhisperModel):  # type: ignore[misc]  # faster-whisper ships no types
    """A `WhisperModel` with short windows (unless `margin_seconds` is None) and, if asked, kept endings."""

    def __init__(
        self,
        *args: Any,
        margin_seconds: float | None,
        keep_unfinished_endings: bool,
        shortest_seconds: float = 0.0,
        longest_short_seconds: float = 30.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.margin_frames = None if margin_seconds is None else round(margin_seconds * FRAMES_PER_SECOND)
        self.shortest_frames = round(shortest_seconds * FRAMES_PER_SECOND)
        full = self.feature_extractor.nb_max_frames
        longest = round(longest_short_seconds * FRAMES_PER_SECOND)
        self.lengths = [length for length in window_lengths(full) if length <= longest or length == full]
        self.keep_unfinished_endings = keep_unfinished_endings
        # faster-whisper encodes a window and then decodes it on the same thread, with nothing between.
        self._last_window = threading.local()

    def detect(
        self, audio: np.ndarray, unclear_below: float = 0.0, among: tuple[str, ...] = ()
    ) -> tuple[str, float]:
        """The language of `audio`'s first window, and its probability.

        The window is encoded exactly as transcribing `audio` will encode it first, and its encoder output
        is kept for that (on this thread, for one encode), so detecting costs one decoder step, not an
        encoder pass. Whisper guesses worse on a short window than on the full 30 s: on the 552 speech
        clips of the corpus's eval subset, 291 right against 300 (English: 89 of 101 against 98). So a
        short window guessed at less than `unclear_below` is guessed again at full length, and that
        encoder output is the one kept, so the window is then decoded as faster-whisper decodes it.
        Given languages `among` (a request's `languages[]`), the guess is the likeliest of those, with its
        probability among them.
        """
        features = self.feature_extractor(audio)
        frames = self.feature_extractor.nb_max_frames
        first = pad_or_trim(features[:, : min(features.shape[-1] - 1, frames)], frames)
        output = self.encode(first)
        encoded: _Encoded = self._last_window.encoded
        language, probability = self._language(output, among)
        if encoded.full_features is not None and probability < unclear_below:
            output, encoded = super().encode(first), _Encoded(encoded.content_frames)
            language, probability = self._language(output, among)
        self._last_window.reusable = (_fingerprint(first), output, encoded)
        return language, probability

    def _language(self, encoder_output: Any, among: tuple[str, ...]) -> tuple[str, float]:
        """The likeliest language (of those `among`, when given, and its probability among them)."""
        guesses = [(str(token[2:-2]), float(p)) for token, p in self.model.detect_language(encoder_output)[0]]
        if among:
            guesses = [(language, p) for language, p in guesses if language in among] or guesses
            total = sum(p for _, p in guesses)
            guesses = [(language, p / total) for language, p in guesses]
        return guesses[0]

    def encode(self, features: np.ndarray) -> Any:
        reusable = getattr(self._last_window, "reusable", None)
        self._last_window.reusable = None
        if reusable is not None and reusable[0] == _fingerprint(features):
            self._last_window.encoded = reusable[2]
            return reusable[1]
        encoded = _Encoded(content_frames(features))
        features_to_encode = features
        if self.margin_frames is not None:
            kept = trimmed(features, self.margin_frames, self.lengths, self.shortest_frames)
            if kept.shape[-1] < features.shape[-1]:
                encoded = _Encoded(encoded.content_frames, features)
                features_to_encode = kept
        self._last_window.encoded = encoded
        return super().encode(features_to_encode)

    def generate_with_fallback(
        self, encoder_output: Any, prompt: list[int], tokenizer: Any, options: Any
    ) -> Any:
        """faster-whisper's decode with temperature fallback, tried first the fast way on a short window."""
        encoded: _Encoded | None = getattr(self._last_window, "encoded", None)
        self._last_window.encoded = None
        if encoded is not None and encoded.full_features is not None:
            fast = self._short_options(encoder_output, prompt, tokenizer, options)
            decoded = super().generate_with_fallback(encoder_output, prompt, tokenizer, fast)
            limit = longest_output(len(prompt), fast.max_new_tokens)
            if _sound(decoded, tokenizer, fast, budget=token_budget(encoded.content_seconds), limit=limit):
                return decoded
            full = pad_or_trim(encoded.full_features, self.feature_extractor.nb_max_frames)
            encoder_output = super().encode(full)
        cap = None if encoded is None else token_cap(encoded.content_frames, self.lengths, len(prompt))
        return _looping_cut(self._decode_safely(encoder_output, prompt, tokenizer, options, cap))

    def _decode_safely(
        self, encoder_output: Any, prompt: list[int], tokenizer: Any, options: Any, cap: int | None
    ) -> Any:
        """faster-whisper's temperature fallback, ended where hotter will not help (`fallback.py`), except
        that a first decode which fails Whisper's checks by its compression ratio alone, and holds no loop
        (`runaway.too_compressible_only`), stands. A sampled decode writes at most `cap` tokens, and one
        stopped there is a loop."""

        def cut_off(decoded: Any) -> bool:
            return decoded[2] > 0 and cap is not None and len(decoded[0].sequences_ids[0]) >= cap

        tried: list[Any] = []
        for temperature in options.temperatures:
            # Beam search at 0 is never capped: cut short, it returned garbage that passed Whisper's checks
            # (`fallback.py`); a sample stops where it stops, cap or none.
            one = replace(options, temperatures=[temperature])
            if temperature > 0 and cap is not None:
                one = replace(one, max_new_tokens=max_new_tokens_for(cap, len(prompt)))
            decoded = super().generate_with_fallback(encoder_output, prompt, tokenizer, one)
            if cut_off(decoded):
                tried.append(decoded)
                continue
            if not failed(decoded, options) or (not tried and _stands(decoded, tokenizer, options)):
                return decoded
            tried.append(decoded)
            if hopeless(decoded, options):
                break
        return given_up(tried, options, cut_off)

    def _short_options(self, encoder_output: Any, prompt: list[int], tokenizer: Any, options: Any) -> Any:
        """One temperature, no timestamp past the window's end, and no more tokens than it could hold.

        Every bound depends on the window's encoded length alone, never its content, so windows of one
        length still share a batch (`batcher.py`).
        """
        positions = int(encoder_output.shape[1])  # one per 20 ms, as timestamps count
        past_the_end = range(tokenizer.timestamp_begin + positions + 1, tokenizer.timestamp_begin + 1501)
        budget = token_budget(2 * positions / FRAMES_PER_SECOND)
        return replace(
            options,
            temperatures=list(options.temperatures[:1]),
            suppress_tokens=[*(options.suppress_tokens or ()), *past_the_end],
            max_new_tokens=min(budget, self.max_length - len(prompt)),
        )

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


def _fingerprint(features: np.ndarray) -> tuple[tuple[int, ...], bytes]:
    digest = hashlib.blake2b(np.ascontiguousarray(features).tobytes(), digest_size=16).digest()
    return features.shape, digest


def _text_tokens(decoded: Any, tokenizer: Any) -> list[int]:
    return [token for token in decoded[0].sequences_ids[0] if token < tokenizer.timestamp_begin]


def _stands(decoded: Any, tokenizer: Any, options: Any) -> bool:
    """Whether a full window's first decode stands: it passed Whisper's checks, or failed the compression
    ratio alone with no loop and no phrase of two or more words written twice in a row."""
    if not failed(decoded, options):
        return True
    text = _text_tokens(decoded, tokenizer)
    return (
        too_compressible_only(**checks(decoded, options))
        and not repeats_itself(text)
        and not echoes(tokenizer.decode(text), shortest=2)
    )


def _sound(decoded: Any, tokenizer: Any, options: Any, *, budget: int, limit: int) -> bool:
    """Whether a short window's single decode can stand, or it must be decoded again the safe way: not if
    it wrote `limit` tokens (stopped by its cap, not by itself) or more text than `budget`."""
    if len(decoded[0].sequences_ids[0]) >= limit:
        return False
    if failed(decoded, options) and not too_compressible_only(**checks(decoded, options)):
        return False
    text = _text_tokens(decoded, tokenizer)
    return not ran_away(text, budget) and not echoes(tokenizer.decode(text))


@dataclass(frozen=True, slots=True)
class _Cut:
    """A decoder result with its loops cut: what faster-whisper reads of a `generate_with_fallback` result."""

    sequences_ids: list[list[int]]
    no_speech_prob: float


def _looping_cut(decoded: Any) -> Any:
    """The safe decode's result, with any loop it still holds written once (`runaway.without_loops`)."""
    result, avg_logprob, temperature, compression_ratio = decoded
    tokens = result.sequences_ids[0]
    kept = without_loops(tokens)
    if len(kept) == len(tokens):
        return decoded
    return _Cut([kept], result.no_speech_prob), avg_logprob, temperature, compression_ratio
