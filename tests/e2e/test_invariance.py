"""What a recording says does not change with its level, its length of silence or its channels.

Metamorphic tests on the corpus (built by `scripts/test`), over a real server and the SDK: each clip is
sent as it ships and again as `bench/accuracy/perturb.py` transforms it, and the transcripts must agree
within a word. Quiet, tightly cut clips lost their last words under the short windows ("Your message
has been saved." as "Your message"); an 8-channel file with one speaking channel was averaged 18 dB
down. Clips are chosen by fixed rules (source, language, length, a hash of the id), never by how well
they transcribe; `python -m bench.accuracy --perturb ...` measures the whole eval set.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import jiwer
import numpy as np
import openai
import pytest
from bench.accuracy import manifest
from bench.accuracy.perturb import loud, multichannel, padded, quiet, trimmed, wav
from bench.accuracy.scoring import units, words_cut_off

from auricle.audio.decode import decode
from auricle.engine.protocol import SAMPLE_RATE, Samples

pytestmark = pytest.mark.model

SOURCES = ("asterisk-core-sounds", "tuxpaint-stamps", "fillets-ng")
ENGLISH_SOURCES, ENGLISH_PER_SOURCE = SOURCES[:2], 4  # fillets-ng speaks Czech and Dutch
OTHER_LANGUAGES = ("es", "fr", "ru", "cs", "nl")
SHORTEST, LONGEST = 1.0, 6.0
"""Push-to-talk length, where a short window is used and the last word is easiest to lose."""
TRANSFORMATIONS = {
    "gain x0.1": quiet,
    "gain x3 (or up to full scale)": loud,
    "end trimmed": trimmed,
    "2 s of silence each side": padded,
    "one channel of six": multichannel,
}
_CJK_PAIR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]\s+[\u3040-\u30ff\u3400-\u9fff]")


def _hashed(row: manifest.Row) -> str:
    return hashlib.sha256(row.key.encode()).hexdigest()


def sample(rows: list[manifest.Row]) -> list[manifest.Row]:
    """4 English clips of 1-6 s from each of two sources, and one clip of each other language."""
    short = sorted(
        (r for r in rows if r.is_speech and r.source in SOURCES and SHORTEST <= r.duration <= LONGEST),
        key=_hashed,
    )
    chosen = [
        row
        for source in ENGLISH_SOURCES
        for row in [r for r in short if r.source == source and r.language == "en"][:ENGLISH_PER_SOURCE]
    ]
    chosen += [next(r for r in short if r.language == language) for language in OTHER_LANGUAGES]
    return chosen


@pytest.fixture(scope="module")
def clips() -> list[tuple[manifest.Row, Samples]]:
    folder = manifest.default_corpus()
    if not (folder / manifest.FULL_MANIFEST).is_file():
        pytest.fail(f"no corpus in {folder}: run `bash ../shared/corpus/build.sh` (scripts/test does)")
    rows = sample(manifest.read(folder / manifest.FULL_MANIFEST))
    return [(row, decode(io.BytesIO((folder / row.path).read_bytes()), 60)) for row in rows]


@pytest.fixture(scope="module")
def client(live_server: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{live_server}/v1", api_key="x", max_retries=0)


def text_of(client: openai.OpenAI, audio: bytes, language: str) -> str:
    result = client.audio.transcriptions.create(
        model="whisper-1", file=("clip.wav", audio), language=language
    )
    return result.text


def words_apart(first: str, second: str, language: str) -> int:
    """Word edits between two transcripts (characters where the language has no spaces)."""
    a, b = units(first, language), units(second, language)
    if not a or not b:
        return max(len(a), len(b))
    out = jiwer.process_words(" ".join(a), " ".join(b))
    return int(out.substitutions + out.deletions + out.insertions)


@pytest.mark.parametrize("name", list(TRANSFORMATIONS))
def test_a_transcript_holds_through_level_silence_and_layout(
    client: openai.OpenAI, clips: list[tuple[manifest.Row, Samples]], name: str
) -> None:
    """No clip loses a word, and the transcripts differ by at most a word a clip on the whole: base
    spells hard words a little differently whenever its input changes at all ("Hippopotamus" and
    "Hippo Potomus"), as bare faster-whisper does, but a lost ending is a defect."""
    assert len(clips) == len(ENGLISH_SOURCES) * ENGLISH_PER_SOURCE + len(OTHER_LANGUAGES)
    lost, edits = {}, 0
    for row, samples in clips:
        plain = text_of(client, wav(samples), row.language)
        changed = text_of(client, TRANSFORMATIONS[name](samples), row.language)
        fewer = len(units(plain, row.language)) - len(units(changed, row.language))
        if words_cut_off(plain, changed, row.language) > 1 or fewer > 1:
            lost[row.key] = (plain, changed)
        edits += words_apart(plain, changed, row.language)
    assert lost == {}
    assert edits <= len(clips)


def test_languages_written_without_spaces_join_their_spans_without_them(
    client: openai.OpenAI, corpus_chinese: list[Samples]
) -> None:
    pause = np.zeros(4 * SAMPLE_RATE, dtype=np.float32)  # longer than a span may hold: two spans
    recording = np.concatenate([corpus_chinese[0], pause, corpus_chinese[1]])
    text = text_of(client, wav(recording), "zh")
    assert len(text) > 8
    assert _CJK_PAIR.search(text) is None, text


@pytest.fixture(scope="module")
def corpus_chinese() -> list[Samples]:
    folder = manifest.default_corpus()
    rows = [r for r in manifest.read(folder / manifest.FULL_MANIFEST) if r.language == "zh"]
    assert len(rows) >= 2
    return [decode(io.BytesIO(Path(folder / row.path).read_bytes()), 60) for row in sorted(rows, key=_hashed)]
