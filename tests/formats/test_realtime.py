from __future__ import annotations

import pytest
from openai.types.realtime import RealtimeTranscriptionSessionCreateRequest

from auricle.audio.pcm import PcmFormat
from auricle.engine.transcript import Segment, Transcript
from auricle.formats.realtime import events, session_object
from auricle.live.config import LiveConfig
from auricle.live.events import Committed, Completed, Delta, Failed
from auricle.live.turns import TurnDetection


def _transcript() -> Transcript:
    segment = Segment(0, 0, 0.0, 1.5, " Hello there.", (1, 2, 3), 0.0, -0.2, 1.1, 0.01)
    return Transcript("transcribe", "en", 1.5, (segment,))


def test_the_ga_session_object_is_openai_s() -> None:
    config = LiveConfig(
        model="base",
        audio=PcmFormat.of("audio/pcmu"),
        language="de",
        prompt="Kaffee",
        turn_detection=None,
        logprobs=True,
        noise_reduction="far_field",
    )
    session = session_object(config, "ga", "sess_1", 1_800_000_000)
    RealtimeTranscriptionSessionCreateRequest.model_validate(session)
    assert session["include"] == ["item.input_audio_transcription.logprobs"]
    assert session["audio"]["input"] == {
        "format": {"type": "audio/pcmu"},
        "transcription": {"model": "base", "language": "de", "prompt": "Kaffee"},
        "noise_reduction": {"type": "far_field"},
        "turn_detection": None,
    }


def test_the_beta_session_object_is_flat() -> None:
    config = LiveConfig(model="whisper-1", turn_detection=TurnDetection(0.6, 200, 700))
    session = session_object(config, "beta", "sess_1", 1)
    assert session["input_audio_format"] == "pcm16"
    assert session["turn_detection"] == {
        "type": "server_vad",
        "threshold": 0.6,
        "prefix_padding_ms": 200,
        "silence_duration_ms": 700,
    }
    assert session["input_audio_transcription"] == {"model": "whisper-1", "language": None, "prompt": ""}


@pytest.mark.parametrize(
    ("dialect", "item_event"), [("ga", "conversation.item.added"), ("beta", "conversation.item.created")]
)
def test_a_commit_is_followed_by_the_dialect_s_item_event(dialect: str, item_event: str) -> None:
    committed, item = events(Committed("item_2", "item_1"), dialect, LiveConfig(model="m"))  # type: ignore[arg-type]
    assert committed["type"] == "input_audio_buffer.committed"
    assert item["type"] == item_event
    assert item["previous_item_id"] == "item_1"
    assert item["item"]["content"] == [{"type": "input_audio", "transcript": None}]


def test_ga_closes_an_item_with_its_transcript() -> None:
    completed, done = events(Completed("item_1", _transcript()), "ga", LiveConfig(model="m"))
    assert completed["transcript"] == "Hello there."
    assert completed["usage"] == {"type": "duration", "seconds": 1.5}
    assert done["type"] == "conversation.item.done"
    assert done["item"]["content"][0]["transcript"] == "Hello there."
    assert len(events(Completed("item_1", _transcript()), "beta", LiveConfig(model="m"))) == 1


def test_a_partial_s_delta_has_no_logprobs_to_give() -> None:
    (delta,) = events(Delta("item_1", "Hello"), "ga", LiveConfig(model="m", logprobs=True))
    assert delta["logprobs"] is None
    (plain,) = events(Delta("item_1", "Hello"), "ga", LiveConfig(model="m"))
    assert "logprobs" not in plain


def test_a_failure_is_a_transcription_error() -> None:
    (failed,) = events(Failed("item_1", "no", "server_error"), "ga", LiveConfig(model="m"))
    assert failed["error"] == {
        "type": "transcription_error",
        "code": "server_error",
        "message": "no",
        "param": None,
    }
