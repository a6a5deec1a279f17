"""`auricle speak`: text read aloud into a file or stdout without a server, as the endpoint would."""

from __future__ import annotations

from pathlib import PurePath
from typing import BinaryIO, TextIO, cast

from auricle.audio.encode import FORMATS, ResponseFormat
from auricle.config import Settings
from auricle.synthesis.catalogue import VoiceChoice
from auricle.synthesis.rendition import Rendition, prepare
from auricle.synthesis.synthesizer import Synthesizer, installed_engines


def format_for(path: str, asked: str | None) -> ResponseFormat:
    """The format asked for, else the one the file name ends in, else mp3 (OpenAI's default)."""
    name = asked or PurePath(path).suffix.lstrip(".").lower()
    return cast(ResponseFormat, name) if name in FORMATS else "mp3"


def speak(
    settings: Settings,
    text: str,
    output: BinaryIO,
    *,
    voice: str,
    response_format: ResponseFormat,
    speed: float,
    progress: TextIO | None = None,
) -> tuple[VoiceChoice, str]:
    """Writes `text` spoken to `output`; returns the voice asked for and the voice that read.

    Raises `AuricleError` for what the endpoint would refuse (an unknown voice, nothing readable)."""
    synthesizer = Synthesizer(
        installed_engines(),
        mapping=settings.speech_voices,
        default_voice=settings.speech_default_voice,
        concurrency=1,
        max_queue=0,
        retry_after_seconds=settings.retry_after_seconds,
    )
    try:
        casting = synthesizer.cast(voice)
        pieces = prepare(text, settings.speech_max_piece_chars)
        rendition = Rendition(synthesizer, casting.voice_id, pieces, response_format, speed)
        while (samples := rendition.read_next()) is not None:
            output.write(rendition.encode(samples))
            if progress is not None:
                progress.write(
                    f"\rspeaking: {rendition.pieces_read}/{len(pieces)} pieces, {rendition.seconds:.1f} s"
                )
                progress.flush()
        output.write(rendition.encode(None))
        output.flush()
        if progress is not None:
            progress.write("\n")
        return casting.choice, casting.voice_id
    finally:
        synthesizer.close()
