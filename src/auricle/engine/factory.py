"""Builds the model registry that a `Settings` describes."""

from __future__ import annotations

from functools import partial

from auricle.config import Settings
from auricle.engine import sources
from auricle.engine.protocol import SpeechModel
from auricle.engine.registry import Admission, ModelRegistry
from auricle.engine.runner import ModelRunner
from auricle.engine.whisper import FasterWhisperModel, WhisperConfig


def whisper_config(settings: Settings) -> WhisperConfig:
    return WhisperConfig(
        device=settings.device,
        compute_type=settings.compute_type,
        cpu_threads=settings.cpu_threads,
        workers=settings.resolved_workers(),
        beam_size=settings.beam_size,
        vad_filter=settings.vad_filter,
        window_margin_seconds=settings.window_margin_seconds or None,
        shortest_window_seconds=settings.shortest_window_seconds,
        longest_short_window_seconds=settings.longest_short_window_seconds,
        max_batch=settings.max_batch,
        batch_wait_seconds=settings.batch_wait_ms / 1000,
    )


def build_registry(settings: Settings) -> ModelRegistry:
    """Starts loading every configured model in the background; `wait_loaded` joins them."""
    config = whisper_config(settings)

    def loader(source: str) -> SpeechModel:
        return FasterWhisperModel(sources.resolve(source, settings.cache_dir), config)

    runners = {
        model_id: ModelRunner(model_id, partial(loader, source), settings.concurrency)
        for model_id, source in settings.models.items()
    }
    admission = Admission(max_queue=settings.max_queue, retry_after_seconds=settings.retry_after_seconds)
    return ModelRegistry(runners, settings.aliases, admission)
