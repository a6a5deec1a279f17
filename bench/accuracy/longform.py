"""Long recordings of continuous speech, joined in memory from the corpus's short ones.

The corpus has almost no speech longer than one 30 s Whisper window, so nothing in it makes an engine
cut inside running speech, where dropped or repeated words at window edges and loops show up. These
recordings are consecutive lines of one Fish Fillets level (Czech and Dutch dialogue, several actors)
and consecutive Asterisk prompts of one language, joined with short pauses like those between sentences.

Everything here is a pure function of the manifest rows and the corpus folder, chosen by fixed rules
(never by how well anything transcribes them), so a test can build the same recordings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tests.support.speech import samples_of, wav

from auricle.engine.protocol import SAMPLE_RATE, Samples
from bench.accuracy.manifest import Row

# Between sentences of one speaker or of a dialogue, never long enough for a VAD to call it a break
# between recordings (Silero's default minimum silence is 2 s) nor a clean cut for a 30 s window.
# Cycled rather than constant so that no rhythm repeats.
PAUSES = (0.10, 0.18, 0.13, 0.25, 0.15, 0.22, 0.11, 0.20)

FILLETS = "fillets-ng"
FILLETS_LANGUAGES = ("cs", "nl")
FILLETS_LEVELS_PER_LANGUAGE = 2
# A level of 2-5 minutes: long enough for several windows, short enough to keep a run's time in check.
FILLETS_MIN_SECONDS = 120.0
FILLETS_MAX_SECONDS = 300.0
# `share` holds the fishes' jokes for every level, not one level's dialogue.
FILLETS_NOT_LEVELS = frozenset({"share"})

ASTERISK = "asterisk-core-sounds"
ASTERISK_LANGUAGES = ("en", "es", "fr")
ASTERISK_TARGET_SECONDS = 150.0
ASTERISK_MAX_SECONDS = 180.0


@dataclass(frozen=True, eq=False)
class Recording:
    name: str
    language: str
    reference: str
    parts: tuple[str, ...]
    """The keys of the rows joined, in order."""
    samples: Samples

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    @functools.cached_property
    def wav(self) -> bytes:
        """16 kHz mono 16-bit WAV: what both sides are given."""
        return wav(self.samples)


def natural_key(text: str) -> tuple[tuple[int, str], ...]:
    """ "help2" before "help10": digits compare as numbers, the rest as text."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", text))


def fillets_level(row: Row) -> str:
    """The level a Fish Fillets line belongs to: the folder under `fillets-ng/` in its path."""
    return Path(row.path).parts[1]


def fillets_levels(rows: Sequence[Row], language: str) -> list[list[Row]]:
    """The first levels by name whose lines in `language` last 2-5 minutes in all, each in natural id
    order (the game names a level's lines by speaker and topic, with numbered runs such as help1-23)."""
    levels: dict[str, list[Row]] = {}
    for row in rows:
        if (
            row.source == FILLETS
            and row.language == language
            and fillets_level(row) not in FILLETS_NOT_LEVELS
        ):
            levels.setdefault(fillets_level(row), []).append(row)
    chosen = [
        sorted(lines, key=lambda row: natural_key(row.id))
        for _, lines in sorted(levels.items())
        if FILLETS_MIN_SECONDS <= sum(row.duration for row in lines) <= FILLETS_MAX_SECONDS
    ]
    return chosen[:FILLETS_LEVELS_PER_LANGUAGE]


def asterisk_prompts(rows: Sequence[Row], language: str) -> list[Row]:
    """Top-level prompts of one language in id order, from the first, until 2.5 minutes are reached;
    a prompt that would take the total past 3 minutes is skipped. (Sub-folders hold digits, letters and
    other single words, which make a list rather than speech.)"""
    chosen: list[Row] = []
    total = 0.0
    for row in sorted(rows, key=lambda row: natural_key(row.id)):
        top_level = row.id.count("/") == 1
        if row.source != ASTERISK or row.language != language or not top_level:
            continue
        if total + row.duration <= ASTERISK_MAX_SECONDS:
            chosen.append(row)
            total += row.duration
        if total >= ASTERISK_TARGET_SECONDS:
            break
    return chosen


def join(name: str, rows: Sequence[Row], corpus: Path) -> Recording:
    """The rows' audio decoded to 16 kHz mono, joined with the cycled pauses; their references joined."""
    pieces: list[Samples] = []
    for index, row in enumerate(rows):
        if index:
            pieces.append(np.zeros(round(PAUSES[(index - 1) % len(PAUSES)] * SAMPLE_RATE), dtype=np.float32))
        pieces.append(samples_of(corpus / row.path))
    return Recording(
        name=name,
        language=rows[0].language,
        reference=" ".join(row.reference for row in rows),
        parts=tuple(row.key for row in rows),
        samples=np.concatenate(pieces).astype(np.float32),
    )


def recordings(rows: Sequence[Row], corpus: Path) -> list[Recording]:
    """Every long recording the full manifest allows: Fillets levels in cs and nl, Asterisk en/es/fr."""
    built = [
        join(f"fillets-{language}-{fillets_level(level[0])}", level, corpus)
        for language in FILLETS_LANGUAGES
        for level in fillets_levels(rows, language)
    ]
    for language in ASTERISK_LANGUAGES:
        prompts = asterisk_prompts(rows, language)
        if prompts:
            built.append(join(f"asterisk-{language}", prompts, corpus))
    return built
