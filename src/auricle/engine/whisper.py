"""`SpeechModel` on faster-whisper (CTranslate2).

Two ways through a recording:
- with VAD (the default), its speech is cut into spans of at most 30 s (`speech.py`), read in chains of
  two spans on threads of their own (`reader.py`), so a long recording's windows are decoded side by side;
- without, faster-whisper's own loop runs over the whole recording, one window after another, each
  conditioned on the text of the one before, exactly as the bare library does.
Either way every window's `generate` goes through one `GenerateBatcher` per model, where it shares a
batch with the like windows of every other request.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from auricle.engine.announcer import Announcer
from auricle.engine.batcher import BatchingWhisper
from auricle.engine.draft import draft
from auricle.engine.level import brought_up
from auricle.engine.options import DecodeOptions, temperature_schedule
from auricle.engine.protocol import SAMPLE_RATE, Cancelled, FinalSegments, Samples
from auricle.engine.reader import SpanReader
from auricle.engine.segments import from_faster_whisper, says_something
from auricle.engine.speech import WINDOW_SECONDS, Span, speech_spans, whole
from auricle.engine.spoken_language import most_spoken, weighed
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
    shortest_window_seconds: float = 15.0
    """A short window is encoded at no less than this (see window.py)."""
    longest_short_window_seconds: float = 16.0
    """Nor at more: a window that would be longer is encoded at the full 30 s (see window.py)."""
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
        self._reader = SpanReader(
            self._model,
            self._batched.batcher,
            self._spans,
            workers=config.workers,
            max_batch=config.max_batch,
            decode=self._decode,
        )
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
        samples = brought_up(samples)
        if options.language is None and not self.multilingual:
            options = replace(options, language="en")
        if options.draft:
            return draft(self._model, self._batched.batcher, samples, options, should_stop)
        if not self._config.vad_filter and options.chunking is None:
            with self._batched.batcher.session(should_stop):
                segments, language = self._decode(samples, options, should_stop, on_final=on_final)
            return Transcript(options.task, language, duration, numbered(tidy(segments, 0.0, duration)))
        spans = speech_spans(samples, self._span_seconds, options.chunking)
        if not spans and options.speech_heard:
            spans = whole(samples, self._span_seconds)
        if not spans:  # silence or noise: nothing to decode, and nothing invented for it
            return Transcript(options.task, options.language or "en", duration, ())
        announcer = Announcer(on_final)
        read = self._reader.read(samples, spans, options, should_stop, announcer)
        texts = [text for text in read if text.segments]
        # Speech whose every segment was dropped (`trust.py`) still says what language it was heard in.
        language = most_spoken((text.language, text.span.samples) for text in texts or read)
        if not texts:
            return Transcript(options.task, language, duration, ())
        ordered = numbered(tidy([segment for text in texts for segment in text.segments], 0.0, duration))
        detected = weighed(text.detected for text in texts if text.detected is not None)
        return Transcript(options.task, language, duration, ordered, detected)

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
        shortest_seconds=config.shortest_window_seconds,
        longest_short_seconds=config.longest_short_window_seconds,
        # With VAD, the audio is cut into spans, and each span's last sentence goes on in the next one.
        keep_unfinished_endings=config.vad_filter,
    )
