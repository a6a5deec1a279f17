"""bench.accuracy's pure parts: scoring, timestamp checks, manifest filters, long-form assembly, the cache.

No model and no corpus: rows and audio are made up here, so these run in well under a second.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import numpy as np
import pytest
from bench.accuracy import longform, manifest, rescore, scoring
from bench.accuracy.cache import BareCache
from bench.accuracy.document import Run
from bench.accuracy.groups import Group, speech_groups
from bench.accuracy.items import Item, Kind
from bench.accuracy.manifest import Row
from bench.accuracy.outcome import Outcome, score
from bench.accuracy.run import Measured, Plan
from bench.accuracy.sides import AURICLE, BARE, Answer, Segment
from bench.accuracy.timestamps import answer_violations, violations
from bench.machine import Machine

from auricle.engine.protocol import SAMPLE_RATE
from tests.support.speech import wav

# --- scoring -----------------------------------------------------------------------------------------


def test_english_is_normalised_the_whisper_way() -> None:
    assert scoring.edits("Mr. Smith's car, isn't it?", "mister smith's car is not it", "en").errors == 0


def test_other_languages_keep_their_letters_and_drop_punctuation() -> None:
    assert scoring.normalize("Příliš žluťoučký kůň, úpěl!", "cs") == "příliš žluťoučký kůň úpěl"
    assert scoring.edits("Co je to za divnou loď?", "co je to za divnou lod", "cs").errors == 1


def test_malayalam_vowel_signs_are_kept() -> None:
    # The basic normaliser's default would strip the marks, leaving consonants only.
    assert scoring.normalize("കുട", "ml") == "കുട"


def test_chinese_is_scored_by_characters() -> None:
    found = scoring.edits("砸自己的脚", "扎 自己的脚。", "zh")
    assert (found.errors, found.reference, found.hypothesis) == (1, 5, 5)


def test_edits_count_substitutions_deletions_and_insertions() -> None:
    found = scoring.edits("one small step for man", "one big step for a man", "fr")
    assert (found.errors, found.reference, found.hypothesis) == (2, 5, 6)
    assert found.rate == pytest.approx(0.4)


def test_an_empty_side_is_all_deletions_or_all_insertions() -> None:
    assert scoring.edits("trois mots ici", "", "fr") == scoring.Edits(3, 3, 0, deletions=3)
    assert scoring.edits("", "deux mots", "fr") == scoring.Edits(2, 0, 2, insertions=2)


def test_pooled_rate_weighs_items_by_their_words() -> None:
    # A mean of per-item rates would say 50%; pooled, one error in 11 words.
    assert scoring.pooled_rate([scoring.Edits(1, 1, 1), scoring.Edits(0, 10, 10)]) == pytest.approx(1 / 11)
    assert scoring.pooled_rate([]) is None


@pytest.mark.parametrize(("hypothesis", "loop"), [(25, False), (26, True)])
def test_a_loop_is_more_than_twice_the_reference_plus_five(hypothesis: int, loop: bool) -> None:
    assert scoring.Edits(0, 10, hypothesis).is_loop is loop


def test_invented_words_with_and_without_music_tags() -> None:
    assert scoring.invented("") == scoring.Invented(0, 0)
    assert scoring.invented("...") == scoring.Invented(0, 0)
    assert scoring.invented("♪ [Music] (music) *sigh* ♪") == scoring.Invented(5, 0)
    assert scoring.invented("♪ Thank you. ♪") == scoring.Invented(4, 2)
    assert scoring.invented("P.O.K.E.") == scoring.Invented(4, 4)
    assert not scoring.invented("[Music]").answered_without_tags


def test_german_is_told_from_english_by_function_words() -> None:
    german = "Jedem, der die Software und die Dokumentation erhält, wird die Genehmigung erteilt"
    english = "permission is hereby granted to any person obtaining a copy of the software"
    assert (scoring.share_of(german, scoring.GERMAN_FUNCTION_WORDS) or 0) > 0.3
    assert scoring.share_of(german, scoring.ENGLISH_FUNCTION_WORDS) == 0
    assert scoring.share_of(english, scoring.GERMAN_FUNCTION_WORDS) == 0
    assert scoring.share_of("", scoring.GERMAN_FUNCTION_WORDS) is None


# --- timestamps --------------------------------------------------------------------------------------


def spans(*pairs: tuple[float, float]) -> list[Segment]:
    return [Segment(start, end, "x") for start, end in pairs]


def test_ordered_segments_inside_the_audio_are_fine() -> None:
    # Touching, a hair overlapping (within 0.05 s), and ending a hair after the audio are all rounding.
    assert violations(spans((0.0, 2.0), (2.0, 4.0), (3.97, 10.04)), duration=10.0) == []


@pytest.mark.parametrize(
    ("pairs", "fault"),
    [
        (((-0.5, 1.0),), "starts before 0"),
        (((0.0, 10.2),), "ends after the audio"),
        (((3.0, 2.0),), "ends before it starts"),
        (((0.0, 4.0), (3.0, 5.0)), "overlaps the one before"),
        (((4.0, 5.0), (1.0, 2.0)), "out of order"),
    ],
)
def test_each_fault_is_named(pairs: tuple[tuple[float, float], ...], fault: str) -> None:
    found = violations(spans(*pairs), duration=10.0)
    assert len(found) == 1
    assert fault in found[0]


def test_words_are_checked_too_when_present() -> None:
    found = answer_violations(spans((0.0, 2.0)), spans((0.0, 1.0), (0.5, 0.6)), duration=2.0)
    assert found == ["word 1 [0.50-0.60]: overlaps the one before (which ends at 1.00)"]


# --- manifest ----------------------------------------------------------------------------------------


def row(source: str, id: str, language: str = "en", duration: float = 1.0, reference: str = "a") -> Row:
    return Row(source, id, f"{source}/{id}.wav", language, duration, reference if language else "")


def test_manifest_is_read_without_quoting(tmp_path: Path) -> None:
    path = tmp_path / "manifest.tsv"
    header = "source\tid\tpath\tlanguage\tduration_seconds\treference\n"
    path.write_text(header + 'src\ta\tsrc/a.wav\ten\t1.500\tHe said "hi\nsrc\tb\tsrc/b.wav\t\t0.200\t\n')
    rows = manifest.read(path)
    assert rows[0] == Row("src", "a", "src/a.wav", "en", 1.5, 'He said "hi')
    assert not rows[1].is_speech
    assert rows[1].key == "src:b"


def test_a_limit_takes_from_every_group_in_turn() -> None:
    rows = [row("a", f"{n}") for n in range(5)] + [row("b", "x", "fr"), row("c", "y", "")]
    assert [r.key for r in manifest.select(rows, limit=4)] == ["a:0", "a:1", "b:x", "c:y"]
    assert [r.key for r in manifest.select(rows, sources=["b"])] == ["b:x"]
    assert [r.key for r in manifest.select(rows, ids=["a:3", "y"])] == ["a:3", "c:y"]


# --- long recordings ---------------------------------------------------------------------------------


def test_natural_order_puts_help2_before_help10() -> None:
    assert sorted(["help10", "help2", "help1", "kd-uvod"], key=longform.natural_key) == [
        "help1",
        "help2",
        "help10",
        "kd-uvod",
    ]


def fillets(level: str, name: str, language: str = "cs", duration: float = 50.0) -> Row:
    id = f"{language}/{level}/{language}/{name}"
    return Row("fillets-ng", id, f"fillets-ng/{level}/{language}/{name}.ogg", language, duration, name)


def test_fillets_levels_are_the_first_by_name_that_last_two_to_five_minutes() -> None:
    rows = [
        *[fillets("zoo", f"l{n}") for n in range(3)],  # 150 s, but after the others by name
        *[fillets("barrel", f"l{n}") for n in (10, 2, 1)],  # 150 s
        *[fillets("atlantis", f"l{n}") for n in range(7)],  # 350 s: too long
        *[fillets("cellar", f"l{n}") for n in range(2)],  # 100 s: too short
        *[fillets("share", f"l{n}") for n in range(3)],  # jokes of every level, not a level
        *[fillets("city", f"l{n}") for n in range(3)],  # 150 s
        *[fillets("key", f"l{n}", "nl") for n in range(3)],  # another language
    ]
    levels = longform.fillets_levels(rows, "cs")
    assert [longform.fillets_level(level[0]) for level in levels] == ["barrel", "city"]
    assert [line.id.rsplit("/", 1)[1] for line in levels[0]] == ["l1", "l2", "l10"]


def test_asterisk_prompts_run_from_the_first_to_two_and_a_half_minutes() -> None:
    prompts = [row("asterisk-core-sounds", f"en/p{n}", duration=40.0) for n in range(6)]
    prompts.insert(1, row("asterisk-core-sounds", "en/digits/1", duration=1.0))  # a list, not speech
    prompts.insert(2, row("asterisk-core-sounds", "en/p2-long", duration=100.0))  # would pass 3 minutes
    chosen = longform.asterisk_prompts(prompts, "en")
    assert [r.id for r in chosen] == ["en/p0", "en/p1", "en/p2", "en/p3"]


def test_join_puts_short_pauses_between_recordings(tmp_path: Path) -> None:
    rows = []
    for index, seconds in enumerate((1.0, 0.5, 0.25)):
        (tmp_path / "src").mkdir(exist_ok=True)
        tone = np.full(int(seconds * SAMPLE_RATE), 0.5, dtype=np.float32)
        (tmp_path / "src" / f"{index}.wav").write_bytes(wav(tone))
        rows.append(Row("src", str(index), f"src/{index}.wav", "nl", seconds, f"zin {index}."))
    joined = longform.join("test", rows, tmp_path)
    pauses = sum(longform.PAUSES[:2])
    assert joined.seconds == pytest.approx(1.75 + pauses, abs=0.002)
    assert joined.reference == "zin 0. zin 1. zin 2."
    assert joined.parts == ("src:0", "src:1", "src:2")
    assert joined.language == "nl"
    assert joined.wav[:4] == b"RIFF"
    silent = np.flatnonzero(np.abs(joined.samples) < 1e-3)
    assert len(silent) == pytest.approx(pauses * SAMPLE_RATE, abs=2)


# --- outcomes, groups and the cache --------------------------------------------------------------------


def item(key: str, language: str, reference: str, duration: float = 5.0, kind: Kind = Kind.CLIP) -> Item:
    source = key.split(":", maxsplit=1)[0]
    return Item(key, source, language, reference, kind, "a.wav", key.encode(), duration)


def answer(text: str, language: str = "en", seconds: float = 1.0) -> Answer:
    return Answer(text, language, (Segment(0.0, 2.0, text),), (), seconds)


def test_an_outcome_is_scored_per_side() -> None:
    clip = item("src:a", "en", "the cat sat on the mat")
    result = score(clip, answer("the cat sat on a mat", "de"), fresh=True)
    assert result.edits == scoring.Edits(1, 6, 6)
    assert result.language_ok is False
    assert result.invented is None
    assert not result.is_loop
    noise = score(item("src:n", "", ""), answer("Thank you."), fresh=True)
    assert noise.invented == scoring.Invented(2, 2)
    assert noise.edits is None


def bare_only(clip: Item, text: str) -> Outcome:
    return Outcome(clip, {BARE: score(clip, answer(text), fresh=True)})


def test_groups_pool_errors_and_keep_long_recordings_apart() -> None:
    outcomes = [
        bare_only(item("x:1", "en", "a b c d"), "a b c d"),
        bare_only(item("y:2", "fr", "un deux"), "un"),
        bare_only(item("long:z", "fr", "un", 40.0, Kind.LONG), "un " * 9),
    ]
    groups = {group.name: group for group in speech_groups(outcomes)}
    assert groups["all speech clips"].rate(BARE) == pytest.approx(1 / 6)
    assert groups["all speech clips"].reference_units == 6
    assert groups["other languages"].rate(BARE) == pytest.approx(1 / 2)
    assert groups["long recordings"].loops(BARE) == ["long:z"]
    assert groups["x en"].rtfx(BARE) == pytest.approx(5.0)
    assert groups["long recordings"].rate(AURICLE) is None
    assert isinstance(groups["language fr"], Group)


def test_the_cache_gives_back_only_answers_for_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "bare.json"
    clip = item("src:a", "en", "hello")
    cache = BareCache.load(path)
    cache.put(clip, answer("hello there"), "some cpu")
    cache.save()
    found = BareCache.load(path).get(clip)
    assert found is not None
    assert found[0] == answer("hello there")
    changed = Item(clip.key, clip.source, "en", "hello", Kind.CLIP, "a.wav", b"other bytes", 5.0)
    assert BareCache.load(path).get(changed) is None


# --- the report, and scoring it again from its JSON --------------------------------------------------------


def test_a_recorded_run_scores_again_to_the_same_report(tmp_path: Path) -> None:
    clips = [
        item("x:1", "en", "a b c d"),
        item("y:2", "", ""),
        item("long:z", "fr", "un deux", 40.0, Kind.LONG),
    ]
    clips.append(replace(clips[0], key="x:1@quiet", perturbation="quiet"))
    outcomes = [
        Outcome(clip, {BARE: score(clip, answer("a b"), True), AURICLE: score(clip, answer("a b c d"), True)})
        for clip in clips
    ]
    versions = dict.fromkeys(("python", "faster-whisper", "ctranslate2", "av", "auricle", "commit"), "1")
    machine = Machine("Some CPU", 2, {"avx2": True}, [], {**versions, "src_modified": "false"})
    plan = Plan((BARE, AURICLE), False, True, {}, tmp_path / "cache.json", machine.model_name)
    measured = Measured(outcomes, {}, {BARE: 3.0, AURICLE: 3.0}, {BARE: 4, AURICLE: 4})
    started = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    run = Run(plan, measured, tmp_path / "m.tsv", False, machine, {}, started, 60.0, {"beam_size": 5})
    path = tmp_path / "run.json"
    path.write_text(json.dumps(run.record()))
    again = rescore.load(path)
    assert again.rescored is not None
    assert replace(again, rescored=None).markdown() == run.markdown()
    assert "| quiet | all speech clips | 1 |" in run.markdown()
    # Files written before the perturbation was recorded: the key's "@quiet" says it.
    record = run.record()
    for kept in cast(list[dict[str, object]], record["items"]):
        del kept["perturbation"]
    path.write_text(json.dumps(record))
    assert replace(rescore.load(path), rescored=None).markdown() == run.markdown()
    assert "| all speech clips | 1 | 4 | 50.0% | 0.0% |" in run.markdown()
    assert run.stem(None) == "2026-01-02-accuracy-some"


def test_numbers_in_digits_score_as_the_words_they_stand_for() -> None:
    assert scoring.edits("Marque tres para las opciones.", "Marque 3 para las opciones.", "es").errors == 0
    assert scoring.edits("quatorzième", "14e", "fr").errors == 1  # ordinals are left as they are
    assert scoring.normalize("appuyez sur 3, puis 1.5", "fr") == "appuyez sur trois puis 1 5"
