from __future__ import annotations

from auricle.engine.transcript import Segment, Transcript, Word
from auricle.speakers.assign import spoken
from auricle.speakers.turns import Diarization, Turn


def _segment(words: list[tuple[str, float, float]]) -> Segment:
    parts = tuple(Word(w, s, e, 0.9) for w, s, e in words)
    return Segment(
        0, 0, words[0][1], words[-1][2], "".join(w for w, *_ in words), (), 0.0, -0.1, 1.0, 0.0, parts
    )


def test_a_segment_is_split_where_the_speaker_changes() -> None:
    segment = _segment([(" How", 0.0, 0.4), (" are", 0.4, 0.7), (" you?", 0.7, 1.0), (" Fine.", 1.3, 1.8)])
    transcript = Transcript("transcribe", "en", 2.0, (segment,))
    found = Diarization((Turn(0.0, 1.1, 0), Turn(1.2, 2.0, 1)), ("A", "B"))
    pieces = spoken(transcript, found)
    assert [(p.speaker, p.text) for p in pieces] == [("A", " How are you?"), ("B", " Fine.")]
    assert "".join(p.text for p in pieces).strip() == transcript.text


def test_overlapping_turns_give_overlapping_pieces() -> None:
    segment = _segment([(" Yes", 0.0, 1.0), (" no", 1.2, 2.0)])
    found = Diarization((Turn(0.0, 1.6, 0), Turn(1.1, 2.0, 1)), ("A", "B"))
    first, second = spoken(Transcript("transcribe", "en", 2.0, (segment,)), found)
    assert (first.speaker, second.speaker) == ("A", "B")
    assert first.end > second.start


def test_words_that_do_not_spell_the_segment_keep_it_whole() -> None:
    segment = _segment([(" a", 0.0, 0.5), (" b", 1.5, 2.0)])
    odd = Segment(0, 0, 0.0, 2.0, " a, b", (), 0.0, -0.1, 1.0, 0.0, segment.words)
    found = Diarization((Turn(0.0, 0.6, 0), Turn(1.4, 2.0, 1)), ("A", "B"))
    assert [p.text for p in spoken(Transcript("transcribe", "en", 2.0, (odd,)), found)] == [" a, b"]
