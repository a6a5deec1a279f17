"""A stream's events: deltas that add up to exactly the transcript's text, in OpenAI's shapes."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from auricle.engine.transcript import Segment, Transcript, Word
from auricle.formats import events
from auricle.formats.bodies import Details
from tests.support.openapi import validate


def segment(text: str, words: tuple[Word, ...] = ()) -> Segment:
    return Segment(0, 0, 0.0, 1.0, text, (1, 2, 3), 0.0, -0.2, 1.2, 0.01, words)


@given(st.lists(st.lists(st.sampled_from([" Hello", " world.", "", " ", "  two  ", "\n", "x"]), max_size=4)))
def test_deltas_add_up_to_the_transcripts_text_whatever_the_runs(runs: list[list[str]]) -> None:
    deltas = events.Deltas(Details())
    said = []
    for run in runs:
        event = deltas.add([segment(text) for text in run])
        if event is not None:
            assert event["delta"]
            said.append(event["delta"])
    transcript = Transcript("transcribe", "en", 1.0, tuple(segment(t) for run in runs for t in run))
    rest = deltas.rest(transcript)
    assert "".join(said) + (rest["delta"] if rest else "") == transcript.text
    assert rest is None  # every segment was told, so nothing is left to catch up on


def test_a_done_event_has_the_text_usage_and_what_was_asked_for() -> None:
    words = (Word(" Hi", 0.0, 0.5, 0.5), Word(" there.", 0.5, 1.0, 1.0))
    transcript = Transcript("transcribe", "en", 2.01, (segment(" Hi there.", words),))
    done = events.done(transcript, Details(languages=True, logprobs=True))
    validate(done, "TranscriptTextDoneEvent")
    assert done["text"] == "Hi there."
    assert done["usage"]["input_tokens"] == 101  # 50 audio tokens a second, rounded up
    assert done["usage"]["output_tokens"] == 3
    assert [item["token"] for item in done["logprobs"]] == ["Hi", " there."]
    assert done["languages"] == [{"code": "en"}]
    assert set(events.done(transcript, Details())) == {"type", "text", "usage"}


def test_events_are_single_data_lines_of_compact_json() -> None:
    encoded = events.encode({"type": "transcript.text.delta", "delta": "Grüße\n"})
    assert encoded == b'data: {"type":"transcript.text.delta","delta":"Gr\xc3\xbc\xc3\x9fe\\n"}\n\n'
    assert json.loads(encoded.removeprefix(b"data: ")) == {
        "type": "transcript.text.delta",
        "delta": "Grüße\n",
    }
    error = events.error({"error": {"message": "m", "type": "server_error", "param": None, "code": None}})
    assert error["type"] == "error"
