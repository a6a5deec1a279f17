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

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np

from auricle.engine.announcer import Announcer
from auricle.engine.batcher import BatchingWhisper
from auricle.engine.chain import Chain, Context, chained, context_after, prompted
from auricle.engine.coverage import cut, left_out
from auricle.engine.draft import draft
from auricle.engine.fanout import in_order
from auricle.engine.options import DecodeOptions, temperature_schedule
from auricle.engine.protocol import SAMPLE_RATE, Cancelled, FinalSegments, Samples
from auricle.engine.segments import from_faster_whisper, says_something
from auricle.engine.speech import WINDOW_SECONDS, Span, speech_spans, vouched_for, with_confidence
from auricle.engine.spoken_language import (
    UNCLEAR,
    Detected,
    heard_before,
    most_spoken,
    prevailing,
    settled,
    weighed,
)
from auricle.engine.timeline import numbered, tidy
from auricle.engine.transcript import Segment, Transcript
from auricle.engine.window import WindowedWhisperModel


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
        # Timestamps follow <|notimestamps|> in every Whisper vocabulary, as faster-whisper has it.
        self._timestamp_begin = self._model.hf_tokenizer.token_to_id("<|notimestamps|>") + 1
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

    def report_batches(self, callback: Callable[[int], None]) -> None:
        """Tell `callback` the size of every batch decoded from now on (warm-up passes are over)."""
        self._batched.batcher.on_batch = callback

    def close(self) -> None:
        self._spans.shutdown(wait=True, cancel_futures=True)
        self._batched.batcher.close()

    def transcribe(
        self,
        samples: Samples,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        on_final: FinalSegments | None = None,
    ) -> Transcript:
        duration = len(samples) / SAMPLE_RATE
        if options.language is None and not self.multilingual:
            options = replace(options, language="en")
        if options.draft:
            return draft(self._model, self._batched.batcher, samples, options, should_stop)
        if not self._config.vad_filter and options.chunking is None:
            with self._batched.batcher.session(should_stop):
                segments, language = self._decode(samples, options, should_stop, on_final=on_final)
            return Transcript(options.task, language, duration, numbered(tidy(segments, 0.0, duration)))
        spans = speech_spans(samples, self._span_seconds, options.chunking)
        if not spans:  # silence or noise: nothing to decode, and nothing invented for it
            return Transcript(options.task, options.language or "en", duration, ())
        announcer = Announcer(on_final)
        read = self._spans_read(samples, spans, options, should_stop, announcer)
        texts = [text for text in read if text.segments]
        if not texts:
            return Transcript(options.task, options.language or "en", duration, ())
        language = most_spoken((text.language, text.span.samples) for text in texts)
        ordered = numbered(tidy([segment for text in texts for segment in text.segments], 0.0, duration))
        detected = weighed(text.detected for text in texts if text.detected is not None)
        return Transcript(options.task, language, duration, ordered, detected)

    def _spans_read(
        self,
        recording: Samples,
        spans: list[Span],
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        announcer: Announcer,
    ) -> list[_SpanText]:
        """Every span transcribed, in chains (`chain.py`); without a language, each span in its own,
        unless it is short or unclear.

        Each span's text is told to `announcer` once final: at once when the request named a language or
        the span's own is clear, and at the end when it waited on the recording's language.
        """
        # A lone span that follows earlier speech (a live session's turn) settles as any other span.
        alone = len(spans) == 1 and not options.heard_before
        telling = threading.Lock()  # spans finish on the chains' threads

        def done(index: int, span_texts: list[_SpanText]) -> None:
            final = options.language is not None or all(_final(text) for text in span_texts)
            segments = [segment for text in span_texts for segment in text.segments]
            with telling:
                announcer.done(index, segments, final=final)

        read = partial(
            self._chain, recording, options=options, should_stop=should_stop, alone=alone, done=done
        )
        lead = self._config.workers if announcer.listened_to else None
        read_chains = in_order(self._spans, read, chained(spans), self._config.max_batch, lead=lead)
        covered = [span_texts for chain_texts in read_chains for span_texts in chain_texts]
        texts = [text for span_texts in covered for text in span_texts]
        told = sum(len(span_texts) for span_texts in covered[: announcer.told])
        if options.language is None:
            self._settle(recording, texts, options, should_stop)
        announcer.rest([segment for text in texts[told:] for segment in text.segments])
        return texts

    def _chain(
        self,
        recording: Samples,
        chain: Chain,
        *,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        alone: bool,
        done: Callable[[int, list[_SpanText]], None],
    ) -> list[list[_SpanText]]:
        """The chain's spans transcribed one after another, each prompted with the text before it;
        `done` is told each span's index and texts as soon as it is read."""
        read: list[list[_SpanText]] = []
        context = None
        for offset, span in enumerate(chain.spans):
            span_texts = self._covered(
                recording, span, options=options, should_stop=should_stop, alone=alone, context=context
            )
            read.append(span_texts)
            done(chain.first + offset, span_texts)
            last = span_texts[-1]
            segments = [segment for text in span_texts for segment in text.segments]
            context = context_after(segments, last.language, self._timestamp_begin)
        return read

    def _settle(
        self,
        recording: Samples,
        texts: list[_SpanText],
        options: DecodeOptions,
        should_stop: Callable[[], bool],
    ) -> None:
        """Transcribes again, in the recording's language, each span whose own was not clear."""
        detections = [text.detected for text in texts if text.detected is not None]
        recording_language = prevailing([*heard_before(options.heard_before), *detections])
        again = [
            index
            for index, text in enumerate(texts)
            if text.detected is not None and settled(text.detected, recording_language) != text.language
        ]
        forced = replace(options, language=recording_language)

        contexts = {texts[index].span: texts[index].context for index in again}

        def read(span: Span) -> _SpanText:
            context = contexts[span]
            return self._span(recording, span, options=forced, should_stop=should_stop, context=context)

        redone = in_order(self._spans, read, [texts[index].span for index in again], self._config.max_batch)
        for index, text in zip(again, redone, strict=True):
            texts[index] = replace(text, detected=texts[index].detected)

    def _covered(
        self,
        recording: Samples,
        span: Span,
        *,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        alone: bool,
        context: Context | None,
    ) -> list[_SpanText]:
        """`span` transcribed; cut in two and each part transcribed on its own where the transcript
        stopped short of the span's end, leaving speech out (`coverage.py`).

        A prompt can lead the decoder past new speech (with a chapter of a novel as the text before,
        tiny.en skipped the first words of a speech that followed it), so a prompted span that stopped
        short is first decoded again without the text before, and the parts of a cut never get it.
        """
        span = with_confidence(recording, span)
        read = partial(self._span, recording, options=options, should_stop=should_stop)
        text = read(span, alone=alone, context=context)
        stops = left_out(text.segments, span) if text.segments else None
        if stops is not None and context is not None:
            text = read(span, alone=alone)
            stops = left_out(text.segments, span) if text.segments else None
        parts = None if stops is None else cut(recording, span, stops)
        if parts is None:
            return [text]
        return [read(part) for part in parts]

    def _span(
        self,
        recording: Samples,
        span: Span,
        *,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        alone: bool = False,
        context: Context | None = None,
    ) -> _SpanText:
        if should_stop():
            raise Cancelled
        audio = span.audio(recording)
        detected = None
        with self._batched.batcher.session(should_stop):
            if options.language is None:
                # A lone span's guess is the transcript's language; a span among others that guesses
                # unclearly takes the recording's (`spoken_language.py`), so only a lone one looks again.
                unclear = UNCLEAR if alone else 0.0
                language, probability = self._model.detect(audio, unclear, options.languages)
                detected = Detected(language, probability, span.samples / SAMPLE_RATE)
                if options.heard_before and not detected.clear:  # no need to wait for the others
                    language = prevailing(heard_before(options.heard_before))
                options = replace(options, language=language)
            prompt = self._prompt(options, context)
            segments, language = self._decode(audio, options, should_stop, span, prompt=prompt)
        if span.sure is False:
            segments = [s for s in segments if vouched_for(s.avg_logprob, s.no_speech_prob)]
        # A span's words are its own: none is placed in the audio of the span before or after it.
        inside = tidy(segments, span.start_seconds, span.end_seconds)
        labelled = [replace(segment, language=language) for segment in inside]
        return _SpanText(span, language, labelled, detected, context)

    def _prompt(self, options: DecodeOptions, context: Context | None) -> str | list[int] | None:
        """The request's prompt, followed by the text before in the span's chain (`chain.prompted`)."""
        own = self._model.hf_tokenizer.encode(" " + options.prompt.strip()).ids if options.prompt else []
        return prompted(context, options.language, own) or options.prompt or None

    def _decode(
        self,
        audio: Samples,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        span: Span | None = None,
        on_final: FinalSegments | None = None,
        *,
        prompt: str | list[int] | None = None,
    ) -> tuple[list[Segment], str]:
        """faster-whisper's window-by-window loop over `audio`, which starts `span`'s start into the whole.

        Called inside a batcher session, so that a cancelled request stops at its next model call.
        """
        raw, info = self._model.transcribe(
            audio,
            task=options.task,
            language=options.language,
            initial_prompt=prompt or options.prompt or None,
            hotwords=", ".join(options.keywords) or None,
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
            if says_something(segment.text):
                collected.append(from_faster_whisper(segment, offset))
                if on_final is not None:
                    on_final(collected[-1:])
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
    context: Context | None = None
    """The text before it in its chain, that it was prompted with if in the same language."""


def _final(text: _SpanText) -> bool:
    """Whether a span's text stands whatever the rest of the recording turns out to be spoken in."""
    return text.detected is None or text.detected.clear
