"""The audio the benchmark sends: real speech only, one long-form recording and a set of short utterances.

Nothing is tiled: Whisper loops on audio that repeats itself, which no real recording does. Every source
is read from disk (Debian's pocketsphinx-testdata and codec2-examples, the repo's ../shared/audio), and a
missing one is skipped and named in `Corpus.missing`, so the run says what it could not use.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tests.support.speech import samples_of, wav

from auricle.engine.protocol import SAMPLE_RATE, Samples
from bench.silence import longest_pause, utterances

REPO = Path(__file__).resolve().parents[1]
# The same place tests/conftest.py looks, with the same override.
AUDIO_DIR = Path(os.environ.get("AURICLE_TEST_AUDIO", REPO.parent / "shared" / "audio"))
POCKETSPHINX = Path("/usr/share/pocketsphinx/test/data")
CODEC2 = Path("/usr/share/codec2/wav")

# tests/conftest.py's JFK_TEXT, repeated so the benchmark needs nothing from the test suite's fixtures.
JFK_TEXT = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)
# pocketsphinx's own tests assert this transcript for goforward.raw (its grammar, goforward.gram, too).
GOFORWARD_TEXT = "go forward ten meters"
# TIDIGITS names a recording after the digits spoken: 2934z is "two nine three four zero".
TIDIGITS_TEXT = "two nine three four zero"
# What the English half of multilingual.mp3 reads (../shared/audio/README.md): the MIT licence up to the
# end of its first paragraph. The parenthetical (the "Software") is left out: it is not read aloud, and
# neither side's transcript has it.
MIT_LICENCE_TEXT = (
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and "
    "associated documentation files, to deal in the Software without restriction, including without "
    "limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell "
    "copies of the Software, and to permit persons to whom the Software is furnished to do so, subject "
    "to the following conditions: The above copyright notice and this permission notice shall be "
    "included in all copies or substantial portions of the Software."
)
# Single sentences of codec2-examples. Left out: all.wav (a medley of the others and of ve9qrp and
# vk5qi), f2400/m2400 (codec2-coded copies of forig/morig), david4 and vk2tpm_004 (modem and
# digital-voice signals with no pause in them; Whisper hears no speech), forig and wia_16kHz (under 2 s,
# so only in the long-form recording).
CODEC2_SENTENCES = ("big_dog", "cross", "hts1a", "hts2a", "mmt1", "morig")
CODEC2_SHORTER = ("forig", "wia_16kHz")
GAP_SECONDS = 1.5
MIN_LONG_FORM_SECONDS = 180.0
MIN_CLIPS = 20


@dataclass(frozen=True, eq=False)
class Clip:
    name: str
    samples: Samples
    reference: str | None = None
    """What was said, where a transcript ships with the audio; None where nobody wrote one down."""

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def quieter(self, decibels: float) -> Clip:
        """The same recording `decibels` quieter (never louder, so nothing clips)."""
        if decibels == 0:
            return self
        gain = 10 ** (-abs(decibels) / 20)
        return Clip(self.name, (self.samples * gain).astype(np.float32), self.reference)

    @functools.cached_property
    def wav(self) -> bytes:
        """16 kHz mono 16-bit WAV: the bytes both sides are given."""
        return wav(self.samples)


@dataclass(frozen=True)
class Corpus:
    long_form: Clip
    long_form_parts: list[str]
    clips: list[Clip]
    missing: list[str] = field(default_factory=list)
    referenced_long_form: Clip | None = None
    """Every recording with a reference, joined: long-form audio whose transcript has a WER."""

    @property
    def referenced_clips(self) -> list[Clip]:
        """The short clips that have a reference transcript."""
        return [clip for clip in self.clips if clip.reference is not None]

    @property
    def referenced_recordings(self) -> list[Clip]:
        """The referenced clips, then the referenced long-form where there is one."""
        joined = self.referenced_long_form
        return [*self.referenced_clips, *([joined] if joined is not None else [])]

    def describe(self) -> dict[str, object]:
        referenced = self.referenced_long_form
        return {
            "long_form": {"seconds": round(self.long_form.seconds, 2), "parts": self.long_form_parts},
            "referenced_long_form": referenced and {"seconds": round(referenced.seconds, 2)},
            "clips": [
                {"name": c.name, "seconds": round(c.seconds, 2), "reference": c.reference} for c in self.clips
            ],
            "missing": self.missing,
        }


def _transcripts(path: Path) -> dict[str, str]:
    """`<s> words </s> (utterance-id)` lines, as pocketsphinx-testdata writes its references."""
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"<s>\s*(?P<text>.*?)\s*</s>\s*\((?P<id>[^)]+)\)", line)
        if match:
            found[match["id"]] = match["text"]
    return found


def _raw(path: Path) -> Samples:
    """pocketsphinx's .raw files: headerless 16 kHz signed 16-bit little-endian mono."""
    return (np.frombuffer(path.read_bytes(), dtype="<i2").astype(np.float32) / 32768).astype(np.float32)


def _decoded(path: Path) -> Samples:
    # Auricle's own decoder (through tests.support.speech): 8 kHz codec2 files come back at 16 kHz.
    return samples_of(path)


class _Sources:
    """Reads each source once; a file that is not there is noted and skipped."""

    def __init__(self) -> None:
        self.missing: list[str] = []

    def clip(
        self, name: str, path: Path, read: Callable[[Path], Samples], ref: str | None = None
    ) -> list[Clip]:
        if not path.is_file():
            self.missing.append(str(path))
            return []
        return [Clip(name, read(path), ref)]

    def librivox(self) -> list[Clip]:
        directory = POCKETSPHINX / "librivox"
        if not (directory / "transcription").is_file():
            self.missing.append(str(directory))
            return []
        refs = _transcripts(directory / "transcription")
        return [
            c
            for key, ref in refs.items()
            for c in self.clip(f"librivox-{key[-4:]}", directory / f"{key}.wav", _decoded, ref)
        ]

    def cards(self) -> list[Clip]:
        directory = POCKETSPHINX / "cards"
        if not (directory / "cards.transcription").is_file():
            self.missing.append(str(directory))
            return []
        refs = _transcripts(directory / "cards.transcription")
        return [
            c
            for key, ref in refs.items()
            for c in self.clip(f"cards-{key}", directory / f"{key}.wav", _decoded, ref)
        ]

    def pocketsphinx_raw(self) -> list[Clip]:
        return [
            *self.clip("goforward", POCKETSPHINX / "goforward.raw", _raw, GOFORWARD_TEXT),
            *self.clip("numbers", POCKETSPHINX / "numbers.raw", _raw),
            *self.clip("something", POCKETSPHINX / "something.raw", _raw),
            *self.clip("tidigits-2934z", POCKETSPHINX / "tidigits" / "dhd.2934z.raw", _raw, TIDIGITS_TEXT),
        ]

    def shared(self) -> list[Clip]:
        return [
            *self.clip("jfk", AUDIO_DIR / "jfk.flac", _decoded, JFK_TEXT),
            *self.clip("hotwords", AUDIO_DIR / "hotwords.mp3", _decoded),
        ]

    def multilingual_english(self) -> list[Clip]:
        """The English first half of multilingual.mp3 (the MIT licence read aloud); the German is left out.

        It ends in the recording's longest pause (2 s, at 29-31 s), where the German reading starts.
        """
        found = self.clip("mit-licence-en", AUDIO_DIR / "multilingual.mp3", _decoded)
        if not found:
            return []
        samples = found[0].samples
        end = longest_pause(samples, (25.0, 35.0)).middle
        return [Clip("mit-licence-en", samples[: int(end * SAMPLE_RATE)], MIT_LICENCE_TEXT)]

    def codec2(self, names: tuple[str, ...]) -> list[Clip]:
        return [c for name in names for c in self.clip(f"codec2-{name}", CODEC2 / f"{name}.wav", _decoded)]


# How many utterances each longer recording gives the short set, enough to pass 20 clips in all.
CUTS = {"codec2-vk5qi": 2, "codec2-ve9qrp": 3, "mit-licence-en": 3}
QUICK_CLIPS = ("librivox-0870", "librivox-0920", "jfk", "cards-005", "goforward", "hotwords")


def _cut(clip: Clip, count: int) -> list[Clip]:
    return [Clip(f"{clip.name}-{i + 1}", piece) for i, piece in enumerate(utterances(clip.samples)[:count])]


def _joined(parts: list[Clip], name: str = "long-form") -> Clip:
    # A short pause between recordings, as between speakers; never one clip repeated.
    gap = np.zeros(int(GAP_SECONDS * SAMPLE_RATE), dtype=np.float32)
    pieces = [piece for clip in parts for piece in (gap, clip.samples)][1:]
    references = [clip.reference for clip in parts]
    reference = " ".join(r for r in references if r) if all(references) else None
    return Clip(name, np.concatenate(pieces).astype(np.float32), reference)


def build(quick: bool = False) -> Corpus:
    """The full corpus, or with `quick` a ~65 s long-form recording and six clips, to develop with."""
    sources = _Sources()
    librivox, cards, raw, shared = (
        sources.librivox(),
        sources.cards(),
        sources.pocketsphinx_raw(),
        sources.shared(),
    )
    english = sources.multilingual_english()
    sentences, shorter = sources.codec2(CODEC2_SENTENCES), sources.codec2(CODEC2_SHORTER)
    longer = sources.codec2(("ve9qrp", "vk5qi"))
    if quick:
        short = [c for c in [*librivox, *shared, *cards, *raw] if c.name in QUICK_CLIPS]
        long_parts = [*librivox, *shared, *cards]
    else:
        cuts = [piece for clip in [*longer, *english] for piece in _cut(clip, CUTS[clip.name])]
        short = [*librivox, *cards, *shared, *raw, *sentences, *cuts]
        long_parts = [*longer, *librivox, *shared, *english, *sentences, *shorter, *cards, *raw]
    long_form = _joined(long_parts)
    # Every recording with a reference: the short clips that have one, and (full runs) the MIT licence.
    referenced = [c for c in [*short, *([] if quick else english)] if c.reference is not None]
    referenced_long_form = _joined(referenced, "referenced-long-form") if referenced else None
    missing = list(sources.missing)
    if not quick and long_form.seconds < MIN_LONG_FORM_SECONDS:
        missing.append(f"long-form is only {long_form.seconds:.0f} s (install codec2-examples for > 3 min)")
    if not quick and len(short) < MIN_CLIPS:
        missing.append(f"only {len(short)} short clips (install pocketsphinx-testdata and codec2-examples)")
    return Corpus(long_form, [c.name for c in long_parts], short, missing, referenced_long_form)
