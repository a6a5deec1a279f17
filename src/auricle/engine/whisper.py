"""`SpeechModel` on faster-whisper (CTranslate2).

Two ways through a recording:
- with VAD (the default), its speech is cut into spans of at most 30 s (`speech.py`), and each span is
  transcribed on its own thread, so a long recording's windows are decoded side by side;
- without, faster-whisper's own loop runs over the whole recording, one window after another, each
  conditioned on the text of the one before, exactly as the bare library does.
Either way every window's `generate` goes through one `GenerateBatcher` per model, where it shares a
batch with the like windows of every other request.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from auricle.engine.batcher import BatchingWhisper
from auricle.engine.coverage import cut, left_out
from auricle.engine.fanout import in_order
from auricle.engine.options import DecodeOptions, temperature_schedule
from auricle.engine.protocol import SAMPLE_RATE, Cancelled, Samples
from auricle.engine.speech import WINDOW_SECONDS, Span, speech_spans, vouched_for
from auricle.engine.spoken_language import UNCLEAR, Detected, most_spoken, prevailing, settled
from auricle.engine.timeline import tidy
from auricle.engine.transcript import Segment, Transcript, Word
from auricle.engine.window import FRAMES_PER_SECOND, WindowedWhisperModel


@dataclass(frozen=True, slots=True)
class WhisperConfig:
    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 1
    """Threads per worker."""
    workers: int = 1
    """Windows the model works on at once, each on its own CTranslate2 replica: an encode, or a batch."""
    beam_size: int = 5
    vad_filter: bool = True
    window_margin_seconds: float | None = 3.0
    """None encodes every window at Whisper's full 30 s, as faster-whisper does."""
    max_batch: int = 8
    """Windows decoded in one `generate`, and spans of one request transcribed at once."""
    batch_wait_seconds: float = 0.01


class FasterWhisperModel:
    def __init__(self, model_dir: Path, config: WhisperConfig) -> None:
        self._config = config
        self._model = _load(model_dir, config)
        self._batched = BatchingWhisper(
            self._model.model,
            workers=config.workers,
            max_batch=config.max_batch,
            wait_seconds=config.batch_wait_seconds,
            sot_token=self._model.hf_tokenizer.token_to_id("<|startoftranscript|>"),
        )
        self._model.model = self._batched
        # A span fills its window but leaves the margin, so Whisper sees where its speech ends and finishes
        # it in one pass, rather than stopping at the last sentence it saw end and decoding the rest again.
        self._span_seconds = WINDOW_SECONDS - (config.window_margin_seconds or 0.0)
        self._spans = ThreadPoolExecutor(max_workers=2 * config.max_batch, thread_name_prefix="auricle-span")
        self._warm_up()

    def _warm_up(self) -> None:
        """Throw-away passes, so that the first request does not pay for lazy set-up.

        Silero VAD's ONNX session is created on first use (and only used with `vad_filter`), and each
        CTranslate2 worker allocates its buffers on its first encode and decode, so every worker gets a
        pass at once; /ready answers only after this. One greedy pass each: a tone fails Whisper's
        quality checks, and the fallbacks would only cost start-up time.
        """
        seconds = np.arange(SAMPLE_RATE, dtype=np.float32) / SAMPLE_RATE
        tone = (0.1 * np.sin(2 * np.pi * 440 * seconds)).astype(np.float32)
        if self._config.vad_filter:
            speech_spans(tone)

        def greedy_pass() -> None:
            segments, _ = self._model.transcribe(tone, language="en", beam_size=1, temperature=0.0)
            for _ in segments:
                pass

        passes = [self._spans.submit(greedy_pass) for _ in range(self._config.workers)]
        for finished in passes:
            finished.result()

    @property
    def multilingual(self) -> bool:
        return bool(self._model.model.is_multilingual)

    @property
    def batch_sizes(self) -> list[int]:
        """How many windows each of the latest `generate` calls decoded together."""
        return list(self._batched.batcher.batch_sizes)

    def close(self) -> None:
        self._spans.shutdown(wait=True, cancel_futures=True)
        self._batched.batcher.close()

    def transcribe(
        self, samples: Samples, options: DecodeOptions, should_stop: Callable[[], bool]
    ) -> Transcript:
        duration = len(samples) / SAMPLE_RATE
        if not self._config.vad_filter:
            with self._batched.batcher.session(should_stop):
                segments, language = self._decode(samples, options, should_stop)
            return Transcript(options.task, language, duration, _numbered(tidy(segments, 0.0, duration)))
        spans = speech_spans(samples, self._span_seconds)
        if not spans:  # silence or noise: nothing to decode, and nothing invented for it
            return Transcript(options.task, options.language or "en", duration, ())
        if options.language is None and not self.multilingual:
            options = replace(options, language="en")
        texts = [text for text in self._spans_read(samples, spans, options, should_stop) if text.segments]
        if not texts:
            return Transcript(options.task, options.language or "en", duration, ())
        language = most_spoken((text.language, text.span.samples) for text in texts)
        segments = [segment for text in texts for segment in text.segments]
        return Transcript(options.task, language, duration, _numbered(tidy(segments, 0.0, duration)))

    def _spans_read(
        self, recording: Samples, spans: list[Span], options: DecodeOptions, should_stop: Callable[[], bool]
    ) -> list[_SpanText]:
        """Every span transcribed; without a language, each in its own, unless it is short or unclear."""
        alone = len(spans) == 1
        read = partial(self._covered, recording, options=options, should_stop=should_stop, alone=alone)
        covered = in_order(self._spans, read, spans, self._config.max_batch)
        texts = [text for span_texts in covered for text in span_texts]
        if options.language is not None:
            return texts
        recording_language = prevailing(text.detected for text in texts if text.detected is not None)
        again = [
            index
            for index, text in enumerate(texts)
            if text.detected is not None and settled(text.detected, recording_language) != text.language
        ]
        if again:
            forced = replace(options, language=recording_language)
            read_again = partial(self._span, recording, options=forced, should_stop=should_stop)
            redo = [texts[index].span for index in again]
            redone = in_order(self._spans, read_again, redo, self._config.max_batch)
            for index, text in zip(again, redone, strict=True):
                texts[index] = text
        return texts

    def _covered(
        self,
        recording: Samples,
        span: Span,
        *,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        alone: bool,
    ) -> list[_SpanText]:
        """`span` transcribed; cut in two and each part transcribed on its own where the transcript
        stopped short of the span's end, leaving speech out (`coverage.py`)."""
        text = self._span(recording, span, options=options, should_stop=should_stop, alone=alone)
        stops = left_out(text.segments, span) if text.segments else None
        parts = None if stops is None else cut(recording, span, stops)
        if parts is None:
            return [text]
        return [self._span(recording, part, options=options, should_stop=should_stop) for part in parts]

    def _span(
        self,
        recording: Samples,
        span: Span,
        *,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        alone: bool = False,
    ) -> _SpanText:
        if should_stop():
            raise Cancelled
        audio = span.audio(recording)
        detected = None
        with self._batched.batcher.session(should_stop):
            if options.language is None:
                # A lone span's guess is the transcript's language; a span among others that guesses
                # unclearly takes the recording's (`spoken_language.py`), so only a lone one looks again.
                language, probability = self._model.detect(audio, UNCLEAR if alone else 0.0)
                detected = Detected(language, probability, span.samples / SAMPLE_RATE)
                options = replace(options, language=language)
            segments, language = self._decode(audio, options, should_stop, span)
        if not span.sure:
            segments = [s for s in segments if vouched_for(s.avg_logprob, s.no_speech_prob)]
        # A span's words are its own: none is placed in the audio of the span before or after it.
        inside = tidy(segments, span.start_seconds, span.end_seconds)
        labelled = [replace(segment, language=language) for segment in inside]
        return _SpanText(span, language, labelled, detected)

    def _decode(
        self,
        audio: Samples,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        span: Span | None = None,
    ) -> tuple[list[Segment], str]:
        """faster-whisper's window-by-window loop over `audio`, which starts `span`'s start into the whole.

        Called inside a batcher session, so that a cancelled request stops at its next model call.
        """
        raw, info = self._model.transcribe(
            audio,
            task=options.task,
            language=options.language,
            initial_prompt=options.prompt or None,
            temperature=list(temperature_schedule(options.temperature)),
            word_timestamps=options.word_timestamps,
            beam_size=self._config.beam_size,
            vad_filter=False,
        )
        collected: list[Segment] = []
        # The generator decodes one 30 s window per step, so this is where a cancelled request stops.
        offset = span.start_seconds if span is not None else 0.0
        for segment in raw:
            if should_stop():
                raise Cancelled
            if _says_something(segment.text):
                collected.append(_segment(segment, offset))
        return collected, str(info.language)


def _load(model_dir: Path, config: WhisperConfig) -> WindowedWhisperModel:
    return WindowedWhisperModel(
        str(model_dir),
        device=config.device,
        compute_type=config.compute_type,
        cpu_threads=config.cpu_threads,
        num_workers=config.workers,
        margin_seconds=config.window_margin_seconds,
        # With VAD, the audio is cut into spans, and each span's last sentence goes on in the next one.
        keep_unfinished_endings=config.vad_filter,
    )


@dataclass(frozen=True, slots=True)
class _SpanText:
    span: Span
    language: str
    """What it was transcribed in."""
    segments: list[Segment]
    detected: Detected | None
    """What its own audio sounded like, when the request named no language."""


def _says_something(text: str) -> bool:
    """Whether a segment holds a word or a number: Whisper answers noise with " ." or " . . ." too."""
    return any(char.isalnum() for char in text)


def _numbered(segments: list[Segment]) -> tuple[Segment, ...]:
    return tuple(replace(segment, id=index) for index, segment in enumerate(segments))


def _segment(raw: Any, offset: float) -> Segment:
    """faster-whisper's segment, with times moved `offset` seconds later (where its span starts)."""
    words = tuple(
        Word(w.word, round(w.start + offset, 3), round(w.end + offset, 3), float(w.probability))
        for w in raw.words or ()
    )
    return Segment(
        id=0,
        seek=int(raw.seek) + round(offset * FRAMES_PER_SECOND),
        start=round(raw.start + offset, 3),
        end=round(raw.end + offset, 3),
        text=raw.text,
        tokens=tuple(int(t) for t in raw.tokens),
        temperature=float(raw.temperature or 0.0),
        avg_logprob=float(raw.avg_logprob),
        compression_ratio=float(raw.compression_ratio),
        no_speech_prob=float(raw.no_speech_prob),
        words=words,
    )
