"""A recording's spans of speech read into text, in chains, each span in its own language.

Spans (`speech.py`) are read in chains of two (`chain.py`), the chains side by side on a shared pool
(`fanout.py`). Without a language each span is detected on its own and read in it, unless its guess is
short or unclear (`spoken_language.py`); a span whose transcript stops short of its end is cut and its
parts read again (`coverage.py`); words are kept inside their own span (`timeline.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import Protocol

from auricle.engine.announcer import Announcer
from auricle.engine.batcher import GenerateBatcher
from auricle.engine.chain import Chain, Context, chained, context_after, copied, prompted
from auricle.engine.coverage import cut, left_out
from auricle.engine.fanout import in_order
from auricle.engine.languages import as_written
from auricle.engine.level import brought_up
from auricle.engine.options import DecodeOptions, temperature_schedule
from auricle.engine.protocol import SAMPLE_RATE, Cancelled, Samples
from auricle.engine.sentences import at_sentences, too_long
from auricle.engine.speech import Span, with_confidence
from auricle.engine.spoken_language import UNCLEAR, Detected, heard_before, prevailing, settled
from auricle.engine.timeline import tidy
from auricle.engine.transcript import Segment
from auricle.engine.trust import trusted
from auricle.engine.window import WindowedWhisperModel


class Decode(Protocol):
    """faster-whisper's window-by-window loop over a span's audio (`FasterWhisperModel._decode`)."""

    def __call__(
        self,
        audio: Samples,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        span: Span | None = None,
        *,
        prompt: str | list[int] | None = None,
    ) -> tuple[list[Segment], str]: ...


class SpanReader:
    def __init__(
        self,
        model: WindowedWhisperModel,
        batcher: GenerateBatcher,
        pool: ThreadPoolExecutor,
        *,
        workers: int,
        max_batch: int,
        decode: Decode,
    ) -> None:
        self._model = model
        self._batcher = batcher
        self._pool = pool
        self._workers = workers
        self._max_batch = max_batch
        self._decode = decode
        # Timestamps follow <|notimestamps|> in every Whisper vocabulary, as faster-whisper has it.
        self._timestamp_begin = model.hf_tokenizer.token_to_id("<|notimestamps|>") + 1

    def read(
        self,
        recording: Samples,
        spans: list[Span],
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        announcer: Announcer,
    ) -> list[SpanText]:
        """Every span transcribed, in chains (`chain.py`); without a language, each span in its own,
        unless it is short or unclear.

        Each span's text is told to `announcer` once final: at once when the request named a language or
        the span's own is clear, and at the end when it waited on the recording's language.
        """
        # A lone span that follows earlier speech (a live session's turn) settles as any other span.
        alone = len(spans) == 1 and not options.heard_before
        telling = threading.Lock()  # spans finish on the chains' threads

        def done(index: int, span_texts: list[SpanText]) -> None:
            final = options.language is not None or all(text.final for text in span_texts)
            segments = [segment for text in span_texts for segment in text.segments]
            with telling:
                announcer.done(index, segments, final=final)

        read = partial(
            self._chain, recording, options=options, should_stop=should_stop, alone=alone, done=done
        )
        lead = self._workers if announcer.listened_to else None
        read_chains = in_order(self._pool, read, chained(spans), self._max_batch, lead=lead)
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
        done: Callable[[int, list[SpanText]], None],
    ) -> list[list[SpanText]]:
        """The chain's spans transcribed one after another, each prompted with the text before it;
        `done` is told each span's index and texts as soon as it is read."""
        read: list[list[SpanText]] = []
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
        texts: list[SpanText],
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

        def read(span: Span) -> SpanText:
            context = contexts[span]
            return self._span(recording, span, options=forced, should_stop=should_stop, context=context)

        redone = in_order(self._pool, read, [texts[index].span for index in again], self._max_batch)
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
    ) -> list[SpanText]:
        """`span` transcribed; cut in two and each part transcribed on its own where the transcript
        left speech out, at the span's start, inside it or at its end (`coverage.py`).

        A prompt can lead the decoder past new speech (with a chapter of a novel as the text before,
        tiny.en skipped the first words of a speech that followed it), or into writing the prompt again
        (`chain.copied`), so such a prompted span is first decoded again without the text before, and
        the parts of a cut never get it.
        """
        span = with_confidence(recording, span)
        read = partial(self._span, recording, options=options, should_stop=should_stop)
        text = read(span, alone=alone, context=context)
        stops = left_out(text.segments, span) if text.segments else None
        misled = stops is not None or copied(context, text.segments, self._timestamp_begin)
        if context is not None and misled:
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
    ) -> SpanText:
        if should_stop():
            raise Cancelled
        # A quieter stretch of a louder recording (another room, another microphone) is brought up too.
        audio = brought_up(span.audio(recording))
        detected = None
        with self._batcher.session(should_stop):
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
            segments = self._in_cues(segments, audio, options, should_stop, span, prompt)
        fell_back = len(temperature_schedule(options.temperature)) > 1
        segments = [s for s in segments if trusted(s, sure=span.sure, fell_back=fell_back)]
        # A span's words are its own: none is placed in the audio of the span before or after it.
        inside = tidy(segments, span.start_seconds, span.end_seconds)
        labelled = [
            replace(segment, language=language, text=as_written(segment.text, language)) for segment in inside
        ]
        return SpanText(span, language, labelled, detected, context)

    def _in_cues(  # noqa: PLR0917  # the decode's own arguments, passed on
        self,
        segments: list[Segment],
        audio: Samples,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        span: Span,
        prompt: str | list[int] | None,
    ) -> list[Segment]:
        """`segments` with any too long for a subtitle cut after its sentences (`sentences.py`): the span
        is decoded again with word times for that, only where the request did not ask for them."""
        if not any(too_long(segment) for segment in segments):
            return segments
        timed = segments
        if not options.word_timestamps:
            with_words = replace(options, word_timestamps=True)
            timed, _ = self._decode(audio, with_words, should_stop, span, prompt=prompt)
        parts = [
            part
            for segment in timed
            for part in at_sentences(segment, self._text_tokens, self._timestamp_begin)
        ]
        return parts if options.word_timestamps else [replace(part, words=()) for part in parts]

    def _text_tokens(self, text: str) -> list[int]:
        return list(self._model.hf_tokenizer.encode(text).ids)

    def _prompt(self, options: DecodeOptions, context: Context | None) -> str | list[int] | None:
        """The request's prompt, followed by the text before in the span's chain (`chain.prompted`)."""
        own = self._model.hf_tokenizer.encode(" " + options.prompt.strip()).ids if options.prompt else []
        return prompted(context, options.language, own) or options.prompt or None


@dataclass(frozen=True, slots=True)
class SpanText:
    span: Span
    language: str
    """What it was transcribed in."""
    segments: list[Segment]
    detected: Detected | None
    """What its own audio sounded like, when the request named no language."""
    context: Context | None = None
    """The text before it in its chain, that it was prompted with if in the same language."""

    @property
    def final(self) -> bool:
        """Whether its text stands whatever the rest of the recording turns out to be spoken in."""
        return self.detected is None or self.detected.clear
