"""The speaker stage as Settings configure it (for the API and the CLI)."""

from __future__ import annotations

from auricle.config import Settings
from auricle.errors import Unavailable
from auricle.speakers.diarizer import Diarizer, Tuning
from auricle.speakers.encoder import Encoder, MissingWeights
from auricle.speakers.segmentation import Segmenter, model_path


def build(settings: Settings) -> Diarizer:
    """Raises `Unavailable` when resemblyzer's weights are not installed (scripts/_venv.sh does it)."""
    # The same thread budget as recognition's: the stage runs after it, never beside it.
    threads = settings.resolved_workers() * settings.cpu_threads
    try:
        encoder = Encoder(threads=threads)
    except MissingWeights as error:
        raise Unavailable(f"The speaker stage is not installed: {error}.") from None
    path = model_path() if settings.speaker_segmentation else None
    segmenter = Segmenter(path, threads) if path is not None else None
    tuning = Tuning(settings.speaker_threshold, settings.speaker_match_distance, settings.max_speakers)
    return Diarizer(encoder, tuning, segmenter)
