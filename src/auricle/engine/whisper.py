"""`SpeechModel` on faster-whisper (CTranslate2)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from faster_whisper import WhisperModel

from auricle.engine.options import DecodeOptions, temperature_schedule
from auricle.engine.protocol import SAMPLE_RATE, Cancelled, Samples
from auricle.engine.transcript import Segment, Transcript, Word
from auricle.engine.window import ShortWindowWhisperModel


@dataclass(frozen=True, slots=True)
class WhisperConfig:
    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 0
    workers: int = 1
    beam_size: int = 5
    vad_filter: bool = True
    window_margin_seconds: float | None = 3.0
    """None encodes every window at Whisper's full 30 s, as faster-whisper does."""


class FasterWhisperModel:
    def __init__(self, model_dir: Path, config: WhisperConfig) -> None:
        self._config = config
        options: dict[str, Any] = {
            "device": config.device,
            "compute_type": config.compute_type,
            "cpu_threads": config.cpu_threads,
            "num_workers": config.workers,
        }
        if config.window_margin_seconds is None:
            self._model = WhisperModel(str(model_dir), **options)
        else:
            margin = config.window_margin_seconds
            self._model = ShortWindowWhisperModel(str(model_dir), margin_seconds=margin, **options)
        self._warm_up()

    def _warm_up(self) -> None:
        """Throw-away passes, so that the first request does not pay for lazy set-up.

        Silero VAD's ONNX session is created on first use, and CTranslate2 allocates its buffers on the
        first encode and decode; /ready answers only after this.
        """
        tone = 0.1 * np.sin(2 * np.pi * 440 * np.arange(SAMPLE_RATE, dtype=np.float32) / SAMPLE_RATE)
        for vad_filter in {self._config.vad_filter, False}:
            segments, _ = self._model.transcribe(tone, language="en", beam_size=1, vad_filter=vad_filter)
            for _ in segments:
                pass

    @property
    def multilingual(self) -> bool:
        return bool(self._model.model.is_multilingual)

    def transcribe(
        self, samples: Samples, options: DecodeOptions, should_stop: Callable[[], bool]
    ) -> Transcript:
        segments, info = self._model.transcribe(
            samples,
            task=options.task,
            language=options.language,
            initial_prompt=options.prompt or None,
            temperature=list(temperature_schedule(options.temperature)),
            word_timestamps=options.word_timestamps,
            beam_size=self._config.beam_size,
            # Whisper invents sentences ("You", "Thank you.") for silence and noise; VAD drops them first.
            vad_filter=self._config.vad_filter,
        )
        collected: list[Segment] = []
        # The generator decodes one 30 s window per step, so this is where a cancelled request stops.
        for index, segment in enumerate(segments):
            if should_stop():
                raise Cancelled
            collected.append(_segment(index, segment))
        return Transcript(
            task=options.task,
            language=info.language,
            duration=len(samples) / SAMPLE_RATE,
            segments=tuple(collected),
        )


def _segment(index: int, raw: Any) -> Segment:
    words = tuple(
        Word(word=w.word, start=float(w.start), end=float(w.end), probability=float(w.probability))
        for w in raw.words or ()
    )
    return Segment(
        id=index,
        seek=int(raw.seek),
        start=float(raw.start),
        end=float(raw.end),
        text=raw.text,
        tokens=tuple(int(t) for t in raw.tokens),
        temperature=float(raw.temperature or 0.0),
        avg_logprob=float(raw.avg_logprob),
        compression_ratio=float(raw.compression_ratio),
        no_speech_prob=float(raw.no_speech_prob),
        words=words,
    )
