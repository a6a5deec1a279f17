"""Transcribing files on this machine without a server, for `auricle transcribe`."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from auricle.audio.decode import decode
from auricle.config import Settings
from auricle.engine.factory import whisper_config
from auricle.engine.options import DecodeOptions
from auricle.engine.registry import check_model_supports
from auricle.engine.sources import resolve
from auricle.engine.whisper import FasterWhisperModel
from auricle.errors import AuricleError, NotFound
from auricle.formats.render import FILE_EXTENSIONS, ResponseFormat, render


def transcribe_files(
    settings: Settings,
    files: Iterable[Path],
    *,
    model: str | None,
    options: DecodeOptions,
    formats: Iterable[ResponseFormat],
    output_dir: Path,
) -> int:
    """Writes `<stem>.<ext>` per file and format into `output_dir`; returns the number of failures."""
    model_id = settings.aliases.get(model or settings.default_model, model or settings.default_model)
    if model_id not in settings.models:
        raise NotFound(f"The model `{model}` is not configured; `auricle models` lists them.")
    speech_model = FasterWhisperModel(
        resolve(settings.models[model_id], settings.cache_dir), whisper_config(settings)
    )
    try:
        check_model_supports(model_id, speech_model.multilingual, options)
        return _write_all(
            speech_model,
            files,
            max_seconds=settings.max_audio_seconds,
            options=options,
            formats=tuple(formats),
            output_dir=output_dir,
        )
    finally:
        speech_model.close()


def _write_all(
    speech_model: FasterWhisperModel,
    files: Iterable[Path],
    *,
    max_seconds: float,
    options: DecodeOptions,
    formats: tuple[ResponseFormat, ...],
    output_dir: Path,
) -> int:
    output_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    for path in files:
        try:
            with path.open("rb") as handle:
                samples = decode(handle, max_seconds)
        except (OSError, AuricleError) as error:
            print(f"{path}: {getattr(error, 'message', error)}", file=sys.stderr)
            failures += 1
            continue
        transcript = speech_model.transcribe(samples, options, lambda: False)
        print(f"{path}: {transcript.text}")
        for response_format in formats:
            rendered = render(transcript, response_format, words=options.word_timestamps)
            target = output_dir / f"{path.stem}.{FILE_EXTENSIONS[response_format]}"
            target.write_text(rendered.body, encoding="utf-8")
    return failures
