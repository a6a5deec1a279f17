"""A fake engine for fast tests of the HTTP layer. Never evidence that recognition works."""

from __future__ import annotations

import threading
from collections.abc import Callable

from auricle.config import Settings
from auricle.engine.options import DecodeOptions
from auricle.engine.protocol import SAMPLE_RATE, Cancelled, Samples
from auricle.engine.registry import Admission, ModelRegistry
from auricle.engine.runner import ModelRunner
from auricle.engine.transcript import Segment, Transcript, Word

FAKE_TEXT = " Hello from the fake engine."


class FakeModel:
    """Returns one fixed segment spanning the audio; `gate` lets a test hold a request mid-inference.

    While held it checks `should_stop` as the real engine does between windows, and sets `stopped`.
    """

    def __init__(self, *, multilingual: bool = True, gate: threading.Event | None = None) -> None:
        self._multilingual = multilingual
        self.gate = gate
        self.calls: list[DecodeOptions] = []
        self.stopped = threading.Event()
        self.closed = False

    @property
    def multilingual(self) -> bool:
        return self._multilingual

    def transcribe(
        self, samples: Samples, options: DecodeOptions, should_stop: Callable[[], bool]
    ) -> Transcript:
        self.calls.append(options)
        if self.gate is not None:
            self._hold(should_stop)
        duration = len(samples) / SAMPLE_RATE
        words = (Word(" Hello", 0.0, duration / 2, 0.9), Word(" world.", duration / 2, duration, 0.9))
        segment = Segment(
            id=0,
            seek=0,
            start=0.0,
            end=duration,
            text=FAKE_TEXT,
            tokens=(50364, 2425, 50414),
            temperature=options.temperature,
            avg_logprob=-0.2,
            compression_ratio=1.1,
            no_speech_prob=0.01,
            words=words if options.word_timestamps else (),
        )
        return Transcript(
            task=options.task, language=options.language or "en", duration=duration, segments=(segment,)
        )

    def close(self) -> None:
        self.closed = True

    def _hold(self, should_stop: Callable[[], bool]) -> None:
        assert self.gate is not None
        for _ in range(1000):  # at most 10 s, so a broken test cannot hang the suite
            if self.gate.wait(timeout=0.01):
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
