"""What a run transcribes: the manifest's recordings, the long joined ones, and multilingual.mp3."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from auricle.audio.decode import decode
from auricle.audio.errors import AudioTooShort
from auricle.engine.protocol import SAMPLE_RATE
from bench.accuracy.longform import Recording
from bench.accuracy.manifest import Row
from bench.corpus import AUDIO_DIR

LONG_SOURCE = "long"
MULTILINGUAL = AUDIO_DIR / "multilingual.mp3"
# Sent once to each side before anything is timed: the first request pays for lazy set-up.
WARM_UP = AUDIO_DIR / "jfk.flac"
# Where its German starts: after the English half's 2 s pause at 29-31 s (../shared/audio/README.md).
MULTILINGUAL_SWITCH_SECONDS = 30.0


class Kind(StrEnum):
    CLIP = "clip"
    """A manifest row, sent as the file ships."""
    LONG = "long"
    """A long recording joined from many rows."""
    MIXED = "mixed"
    """multilingual.mp3: English then German, with no reference; reported on its own."""


@dataclass(frozen=True, eq=False)
class Item:
    key: str
    source: str
    language: str
    """The language spoken (ISO 639-1); "" for non-speech, and for multilingual.mp3."""
    reference: str | None
    """"" for non-speech; None where no reference exists."""
    kind: Kind
    filename: str
    data: bytes
    """The bytes both sides are given."""
    duration: float
    """Seconds, as decoded to 16 kHz (what segments' timestamps must fall within)."""
    perturbation: str = ""
    """The transformation its audio went through (`perturb.py`); "" for the audio as it ships."""

    @property
    def is_speech(self) -> bool:
        return self.language != ""

    @property
    def is_non_speech(self) -> bool:
        return self.kind is Kind.CLIP and not self.is_speech

    @property
    def fingerprint(self) -> str:
        """Identifies the audio, so a cached answer is used only for the very same bytes."""
        return hashlib.sha256(self.data).hexdigest()[:16]


def decoded_seconds(data: bytes, fallback: float) -> float:
    """The length Auricle's decoder finds (as its server will); `fallback` under its 0.1 s minimum."""
    try:
        return len(decode(io.BytesIO(data), max_seconds=4 * 3600)) / SAMPLE_RATE
    except AudioTooShort:
        return fallback


def from_row(row: Row, corpus: Path) -> Item:
    data = (corpus / row.path).read_bytes()
    return Item(
        key=row.key,
        source=row.source,
        language=row.language,
        reference=row.reference,
        kind=Kind.CLIP,
        filename=Path(row.path).name,
        data=data,
        duration=decoded_seconds(data, row.duration),
    )


def from_recording(recording: Recording) -> Item:
    return Item(
        key=f"{LONG_SOURCE}:{recording.name}",
        source=LONG_SOURCE,
        language=recording.language,
        reference=recording.reference,
        kind=Kind.LONG,
        filename=f"{recording.name}.wav",
        data=recording.wav,
        duration=recording.seconds,
    )


def from_file(path: Path, kind: Kind = Kind.MIXED) -> Item:
    """A recording of ../shared/audio, which has no reference or single language to score against."""
    data = path.read_bytes()
    return Item(
        key=f"shared-audio:{path.stem}",
        source="shared-audio",
        language="",
        reference=None,
        kind=kind,
        filename=path.name,
        data=data,
        duration=decoded_seconds(data, 0.0),
    )


def from_rows(rows: Sequence[Row], corpus: Path) -> list[Item]:
    return [from_row(row, corpus) for row in rows]
