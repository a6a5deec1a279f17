"""The development set: conversations assembled from single-speaker recordings, with exact turns.

Voices (each a distinct person, per ../shared/corpus/README.md): the Asterisk prompt voices (Allison
Smith en, June Wallack fr, Carlo Flora it, the ivrvoice.ru voice), JFK and the multilingual.mp3 speaker
(../shared/audio), and the LibriVox reader of pocketsphinx-testdata. Turns alternate with 0.2-0.9 s
pauses; about one turn in five is a short reply (under 1.3 s); some turns start before the previous
one ends (overlap, scored as such). A fixed seed makes every draw the same.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from faster_whisper import decode_audio
from faster_whisper.vad import VadOptions, get_speech_timestamps

RATE = 16_000
CORPUS = Path(os.environ.get("AURICLE_CORPUS", Path.home() / ".cache" / "auricle-corpus"))
SHARED_AUDIO = Path(__file__).resolve().parents[3] / "shared" / "audio"
Audio = npt.NDArray[np.float32]
_ASTERISK = {
    "allison": "en_US_f_Allison",
    "june": "fr_CA_f_June",
    "carlo": "it_IT_m_Carlo",
    "irina": "ru_RU_f_IvrvoiceRU",
}


@dataclass(frozen=True, slots=True)
class Conversation:
    name: str
    audio: Audio
    turns: tuple[tuple[float, float, str], ...]

    @property
    def speakers(self) -> int:
        return len({who for *_, who in self.turns})


def _trimmed(audio: Audio) -> Audio:
    """Cut leading and trailing frames 40 dB below the clip's peak."""
    frames = np.abs(audio[: audio.size // 160 * 160].reshape(-1, 160)).max(axis=1)
    loud = np.flatnonzero(frames >= frames.max() * 0.01) if frames.size else np.zeros(0, dtype=np.int64)
    return audio[loud[0] * 160 : (loud[-1] + 1) * 160] if loud.size else audio


def _pieces(audio: Audio) -> list[Audio]:
    spans = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=300, speech_pad_ms=30))
    return [_trimmed(audio[s["start"] : s["end"]]) for s in spans]


@cache
def clips(voice: str) -> tuple[Audio, ...]:
    """A voice's utterances, 0.4-7 s each."""
    if voice in _ASTERISK:
        folder = CORPUS / "asterisk-core-sounds" / _ASTERISK[voice]
        found = [_trimmed(decode_audio(str(path))) for path in sorted(folder.glob("*.wav"))[:160]]
    elif voice == "reader":
        folder = CORPUS / "pocketsphinx-testdata" / "librivox"
        found = [_trimmed(decode_audio(str(path))) for path in sorted(folder.glob("*.wav"))]
    else:
        found = _pieces(
            decode_audio(str(SHARED_AUDIO / {"jfk": "jfk.flac", "mul": "multilingual.mp3"}[voice]))
        )
    return tuple(clip for clip in found if 0.4 * RATE <= clip.size <= 7 * RATE)


def _pick(voice: str, rng: random.Random, short: bool) -> Audio:
    pool = clips(voice)
    fitting = [c for c in pool if (c.size < 1.3 * RATE) == short] or list(pool)
    chosen = fitting[rng.randrange(len(fitting))]
    while not short and chosen.size < 2.0 * RATE:  # join prompts into a longer turn
        chosen = np.concatenate([chosen, np.zeros(RATE // 8, np.float32), pool[rng.randrange(len(pool))]])
    return chosen


def build(name: str, voices: list[str], turns: int, seed: int, overlap: float = 0.0) -> Conversation:
    rng = random.Random(f"{name}-{seed}")
    pieces: list[tuple[int, Audio, str]] = []
    cursor, previous = 0, ""
    for index in range(turns):
        who = voices[index] if index < len(voices) else rng.choice([v for v in voices if v != previous])
        clip = _pick(who, rng, short=index >= len(voices) and rng.random() < 0.2)
        gap = int(rng.uniform(0.2, 0.9) * RATE)
        start = cursor + gap
        if pieces and rng.random() < overlap:
            start = max(pieces[-1][0] + RATE // 2, cursor - int(rng.uniform(0.3, 0.8) * RATE))
        pieces.append((start, clip, who))
        cursor, previous = max(cursor, start + clip.size), who
    audio = np.zeros(cursor + RATE // 2, dtype=np.float32)
    for start, clip, _ in pieces:
        audio[start : start + clip.size] += clip / max(1e-6, float(np.abs(clip).max())) * 0.5
    reference = tuple((s / RATE, (s + c.size) / RATE, who) for s, c, who in pieces)
    return Conversation(name, np.clip(audio, -1, 1), reference)


def single(name: str, voice: str, seconds: float, seed: int) -> Conversation:
    rng = random.Random(f"{name}-{seed}")
    pieces, turns, total = [], [], 0
    while total < seconds * RATE:
        clip = _pick(voice, rng, short=False)
        turns.append((total / RATE, (total + clip.size) / RATE, voice))
        gap = np.zeros(int(rng.uniform(0.3, 0.9) * RATE), np.float32)
        pieces += [clip, gap]
        total += clip.size + gap.size
    return Conversation(name, np.concatenate(pieces), tuple(turns))


def development_set(seed: int = 7) -> list[Conversation]:
    return [
        build("c2_allison_carlo", ["allison", "carlo"], 12, seed),
        build("c2_jfk_june", ["jfk", "june"], 10, seed),
        build("c2_mul_reader", ["mul", "reader"], 10, seed),
        build("c3_june_mul_irina", ["june", "mul", "irina"], 14, seed),
        build("c3_overlap", ["allison", "carlo", "jfk"], 14, seed, overlap=0.3),
        build("c4_mixed", ["allison", "carlo", "reader", "mul"], 16, seed),
        build("c4_overlap", ["june", "irina", "mul", "carlo"], 16, seed, overlap=0.3),
        build("c5_five", ["allison", "carlo", "june", "jfk", "reader"], 20, seed),
        build("c6_six", ["allison", "carlo", "june", "irina", "jfk", "mul"], 24, seed),
        build("c3_long", ["allison", "carlo", "mul"], 48, seed),
        single("s1_jfk", "jfk", 10, seed),
        single("s1_mul", "mul", 50, seed),
        single("s1_allison", "allison", 60, seed),
        single("s1_carlo", "carlo", 45, seed),
    ]
