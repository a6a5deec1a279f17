"""The harness's transformations of level, length and layout, and how their runs are reported."""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np
import pytest
from bench.accuracy.items import Item, Kind, from_file
from bench.accuracy.outcome import Outcome, score
from bench.accuracy.perturb import PERTURBATIONS, SPEECH_CHANNEL, speech_end, variants
from bench.accuracy.robustness import cut_right_words, cut_short, perturbation_table, plain
from bench.accuracy.scoring import edits, hits, right_words_cut_off, words_cut_off
from bench.accuracy.sides import AURICLE, BARE, Answer

from auricle.audio.decode import decode
from auricle.engine.level import level_dbfs
from auricle.engine.protocol import SAMPLE_RATE


@pytest.fixture(scope="module")
def jfk_item(jfk: Path) -> Item:
    return from_file(jfk, Kind.CLIP)


def decoded(item: Item) -> np.ndarray:
    return decode(io.BytesIO(item.data), 60)


def test_every_transformation_keeps_the_speech_and_says_what_it_did(jfk_item: Item) -> None:
    original = decoded(jfk_item)
    found = {item.perturbation: item for item in variants(jfk_item, list(PERTURBATIONS))}
    assert list(found) == list(PERTURBATIONS)
    assert all(item.key == f"{jfk_item.key}@{name}" for name, item in found.items())
    assert level_dbfs(decoded(found["quiet"])) == pytest.approx(level_dbfs(original) - 20, abs=0.2)
    assert found["padded"].duration == pytest.approx(jfk_item.duration + 4.0, abs=0.01)
    assert found["trimmed"].duration <= jfk_item.duration
    assert float(np.abs(decoded(found["loud"])).max()) < 1.0
    for name in ("multichannel", "telephone", "mp3"):
        assert found[name].duration == pytest.approx(jfk_item.duration, abs=0.1)
    with av.open(io.BytesIO(found["multichannel"].data)) as container:
        assert container.format.name == "flac"
        assert container.streams.audio[0].channels == 6
    planes = decode_planes(found["multichannel"].data)
    assert np.abs(np.delete(planes, SPEECH_CHANNEL, axis=0)).max() == 0.0
    assert np.abs(planes[SPEECH_CHANNEL] - original[: planes.shape[1]]).max() < 1e-4  # lossless, 16-bit
    with av.open(io.BytesIO(found["telephone"].data)) as container:
        assert container.streams.audio[0].rate == 8000
    with av.open(io.BytesIO(found["mp3"].data)) as container:
        assert container.format.name == "mp3"
    assert plain([Outcome(jfk_item, {}), Outcome(found["mp3"], {})])[0].item is jfk_item


def decode_planes(data: bytes) -> np.ndarray:
    with av.open(io.BytesIO(data), mode="r") as container:
        channels = container.streams.audio[0].channels
        packed = np.concatenate([frame.to_ndarray().ravel() for frame in container.decode(audio=0)])
    return packed.reshape(-1, channels).T.astype(np.float32) / 32768  # FLAC decodes to packed s16


def test_speech_ends_after_the_last_loud_frame() -> None:
    audio = np.concatenate([np.full(SAMPLE_RATE, 0.5), np.full(SAMPLE_RATE, 0.01)]).astype(np.float32)
    assert speech_end(audio) == SAMPLE_RATE


def test_words_cut_off_counts_the_words_left_out_at_the_end() -> None:
    assert words_cut_off("the conference is now locked", "the conference", "en") == 3
    assert words_cut_off("your message has been saved", "your massage has been saved", "en") == 0
    assert words_cut_off("call forward unconditional", "", "en") == 3
    assert words_cut_off("", "anything", "en") == 0


def test_right_words_cut_off_counts_only_the_lost_words_bare_read_right() -> None:
    reference = "the conference is now locked"
    assert right_words_cut_off("the conference is now locked", "the conference", reference, "en") == 3
    # Bare's last two words were invented: an answer without them has lost one right word, "now".
    assert (
        right_words_cut_off("the conference is now blocked soon", "the conference is", reference, "en") == 1
    )
    assert right_words_cut_off("chill out", "", "пчела", "ru") == 0
    assert right_words_cut_off("anything", "anything", "", "en") == 0


def test_hits_are_the_reference_positions_read_right() -> None:
    assert hits("press star to return", "press the star to turn", "en") == {0, 1, 2}
    assert hits("press star", "", "en") == set()
    assert hits("你好世界", "你好", "zh") == {0, 1}


def test_deletions_and_insertions_are_counted_apart() -> None:
    score_ = edits("a b c d", "a c d e f", "en")
    assert (score_.deletions, score_.insertions, score_.errors) == (1, 2, 3)


def outcome(perturbation: str, bare: str, auricle: str) -> Outcome:
    item = Item(f"src:a@{perturbation}", "src", "en", "press star to return", Kind.CLIP, "a.wav", b"", 2.0)
    item = Item(**{**item.__dict__, "perturbation": perturbation})

    def answer(text: str) -> Answer:
        return Answer(text, "en", (), (), 1.0)

    return Outcome(item, {BARE: score(item, answer(bare), True), AURICLE: score(item, answer(auricle), True)})


def test_a_run_with_perturbations_reports_each_beside_the_plain_one() -> None:
    cut = outcome("quiet", "press star to return", "press star")
    assert cut_short(cut)
    assert not cut_short(outcome("quiet", "press star to return", "press star to"))
    assert cut_right_words(cut)
    assert not cut_right_words(outcome("quiet", "press star to turn back", "press star to"))
    table = perturbation_table([outcome("", "press star to return", "press star to return"), cut])
    assert [row.split(" | ")[:2] for row in table[2:]] == [
        ["| plain", "all speech clips"],
        ["| plain", "en"],
        ["| quiet", "all speech clips"],
        ["| quiet", "en"],
    ]
    assert "| 1 (100.0%) | 1 (100.0%) | 2 / 0 |" in table[4]
    assert perturbation_table([outcome("", "a", "a")]) == ["No perturbation asked for (`--perturb`)."]
