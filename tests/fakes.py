"""A fake engine for fast tests of the HTTP layer. Never evidence that recognition works."""

from __future__ import annotations

import threading
from collections.abc import Callable

from auricle.config import Settings
from auricle.engine.options import DecodeOptions
from auricle.engine.protocol import SAMPLE_RATE, Cancelled, FinalSegments, Samples
from auricle.engine.registry import Admission, ModelRegistry
from auricle.engine.runner import ModelRunner
from auricle.engine.transcript import Segment, Transcript, Word

FAKE_TEXT = " Hello from the fake engine."


class FakeModel:
    """Returns one fixed segment spanning the audio; `gate` lets a test hold a request mid-inference.

    While held it checks `should_stop` as the real engine does between windows, and sets `stopped`.
    """

    def __init__(
        self,
        *,
        multilingual: bool = True,
        gate: threading.Event | None = None,
        texts: tuple[str, ...] = (FAKE_TEXT,),
        between: threading.Event | None = None,
        failure: Exception | None = None,
    ) -> None:
        """One segment per text; `between`, when given, is waited for after the first is final, and
        `failure` raised there instead of going on."""
        self._multilingual = multilingual
        self.gate = gate
        self.texts = texts
        self.between = between
        self.failure = failure
        self.calls: list[DecodeOptions] = []
        self.stopped = threading.Event()
        self.closed = False

    @property
    def multilingual(self) -> bool:
        return self._multilingual

    def transcribe(
        self,
        samples: Samples,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        on_final: FinalSegments | None = None,
    ) -> Transcript:
        self.calls.append(options)
        if self.gate is not None:
            self._hold(self.gate, should_stop)
        duration = len(samples) / SAMPLE_RATE
        step = duration / len(self.texts)
        segments = tuple(
            self._segment(index, text, index * step, (index + 1) * step, options)
            for index, text in enumerate(self.texts)
        )
        for index, segment in enumerate(segments):
            if on_final is not None:
                on_final((segment,))
            if index == 0 and self.between is not None:
                self._hold(self.between, should_stop)
            if index == 0 and self.failure is not None:
                raise self.failure
        return Transcript(
            task=options.task, language=options.language or "en", duration=duration, segments=segments
        )

    @staticmethod
    def _segment(index: int, text: str, start: float, end: float, options: DecodeOptions) -> Segment:
        middle = (start + end) / 2
        words = (Word(" Hello", start, middle, 0.9), Word(" world.", middle, end, 0.9))
        return Segment(
            id=index,
            seek=0,
            start=start,
            end=end,
            text=text,
            tokens=(50364, 2425, 50414),
            temperature=options.temperature,
            avg_logprob=-0.2,
            compression_ratio=1.1,
            no_speech_prob=0.01,
            words=words if options.word_timestamps else (),
        )

    def close(self) -> None:
        self.closed = True

    def _hold(self, gate: threading.Event, should_stop: Callable[[], bool]) -> None:
        for _ in range(1000):  # at most 10 s, so a broken test cannot hang the suite
            if gate.wait(timeout=0.01):
                return
            if should_stop():
                self.stopped.set()
                raise Cancelled


def fake_registry_factory(
    *, english_model: FakeModel | None = None, multilingual_model: FakeModel | None = None
) -> Callable[[Settings], ModelRegistry]:
    base = multilingual_model or FakeModel()
    tiny = english_model or FakeModel(multilingual=False)

    def factory(settings: Settings) -> ModelRegistry:
        runners = {
            "base": ModelRunner("base", lambda: base, settings.concurrency),
            "tiny.en": ModelRunner("tiny.en", lambda: tiny, settings.concurrency),
        }
        admission = Admission(max_queue=settings.max_queue, retry_after_seconds=settings.retry_after_seconds)
        return ModelRegistry(runners, settings.aliases, admission)

    return factory
