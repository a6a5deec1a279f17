"""A segment too long for a subtitle cut after its sentences and clauses, at its words' times."""

from __future__ import annotations

from auricle.engine.sentences import CUE_SECONDS, at_sentences, pieces, too_long
from auricle.engine.transcript import Segment, Word

BEGIN = 50364  # multilingual Whisper's first timestamp token


def words(*timed: tuple[str, float, float]) -> tuple[Word, ...]:
    return tuple(Word(text, start, end, 0.9) for text, start, end in timed)


def segment(found: tuple[Word, ...]) -> Segment:
    text = "".join(word.word for word in found)
    start, end = found[0].start, found[-1].end
    return Segment(0, 1000, start, end, text, (1, 2, 3), 0.0, -0.2, 1.5, 0.01, found)


def fake_tokens(text: str) -> list[int]:
    return [len(part) for part in text.split()]


def test_sentences_end_pieces_and_a_long_sentence_is_cut_after_a_clause() -> None:
    found = words(
        (" One", 10.0, 10.5), (" sentence.", 10.5, 11.0),
        (" A", 11.5, 12.0), (" long", 12.0, 14.0), (" clause,", 14.0, 16.0),
        (" and", 16.0, 18.0), (" more", 18.0, 19.0), (" words", 19.0, 23.0), (" here.", 23.0, 23.5),
    )  # fmt: skip
    runs = pieces(found)
    assert ["".join(w.word for w in run) for run in runs] == [
        " One sentence.",
        " A long clause,",
        " and more words here.",
    ]


def test_a_sentence_without_clauses_is_cut_in_its_longest_pause() -> None:
    found = words(
        (" a", 0.0, 1.0), (" b", 1.0, 2.0), (" c", 3.5, 4.0), (" d", 4.0, 6.0), (" e", 6.0, 9.0)
    )  # fmt: skip
    assert [len(run) for run in pieces(found)] == [2, 3]


def test_a_too_long_segment_becomes_timed_cues_with_timestamped_tokens() -> None:
    found = words(*[(f" w{i}{'.' if i % 5 == 4 else ''}", 10.0 + i, 11.0 + i) for i in range(15)])
    long = segment(found)
    assert too_long(long)
    parts = at_sentences(long, fake_tokens, BEGIN)
    assert [(p.start, p.end) for p in parts] == [(10.0, 15.0), (15.0, 20.0), (20.0, 25.0)]
    assert "".join(p.text for p in parts) == long.text
    assert all(p.end - p.start <= CUE_SECONDS for p in parts)
    window = long.seek / 100
    first = parts[0].tokens
    assert first[0] == BEGIN + round((10.0 - window) / 0.02)
    assert first[-1] == BEGIN + round((15.0 - window) / 0.02)
    assert first[1:-1] == tuple(fake_tokens(parts[0].text))


def test_a_short_segment_or_one_without_words_stays_as_it_is() -> None:
    short = segment(words((" Hello.", 0.0, 1.0), (" Again.", 1.0, 2.0)))
    assert at_sentences(short, fake_tokens, BEGIN) == [short]
    long = segment(words((" a.", 0.0, 6.0), (" b.", 6.0, 13.0)))
    wordless = Segment(0, 0, 0.0, 13.0, long.text, (), 0.0, -0.2, 1.5, 0.01)
    assert at_sentences(wordless, fake_tokens, BEGIN) == [wordless]
