"""OpenAI's newer request fields on the real model, through the SDK: `keywords[]` steer recognition,
`languages[]` bound language detection, `chunking_strategy` decides where the audio is cut."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import openai
import pytest
from openai.types.audio import TranscriptionTextDoneEvent

from tests.conftest import AUDIO_DIR
from tests.support.speech import samples_of, wav

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def client(live_server: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{live_server}/v1", api_key="not-needed", max_retries=0, timeout=300)


def test_keywords_give_a_product_name_the_model_mishears(
    client: openai.OpenAI, record_figure: Callable[[str], None]
) -> None:
    hotwords = AUDIO_DIR / "hotwords.mp3"
    plain = client.audio.transcriptions.create(model="whisper-1", file=hotwords)
    steered = client.audio.transcriptions.create(model="whisper-1", file=hotwords, keywords=["ComfyUI"])
    record_figure(f"hotwords.mp3 without keywords: {plain.text!r}; with keywords[]=ComfyUI: {steered.text!r}")
    assert steered.text.count("ComfyUI") == 2


def test_languages_bound_what_detection_may_choose(client: openai.OpenAI, jfk: Path) -> None:
    english = client.audio.transcriptions.create(model="whisper-1", file=jfk, response_format="verbose_json")
    bounded = client.audio.transcriptions.create(
        model="whisper-1", file=jfk, response_format="verbose_json", languages=["de", "fr"]
    )
    assert english.language == "english"
    assert bounded.language in {"german", "french"}


def test_json_names_the_languages_heard_when_asked(client: openai.OpenAI, multilingual: Path) -> None:
    heard = client.audio.transcriptions.create(model="whisper-1", file=multilingual, languages=["en", "de"])
    assert heard.languages is not None
    assert {language.code for language in heard.languages} == {"en", "de"}
    plain = client.audio.transcriptions.create(model="whisper-1", file=multilingual)
    assert plain.languages is None


def test_server_vad_cuts_where_the_pauses_are(client: openai.OpenAI, jfk: Path) -> None:
    # jfk.flac twice, 2.5 s apart: Auricle's own spans keep such a pause inside one window.
    speech = samples_of(jfk)
    pause_start = len(speech) / 16000
    audio = wav(np.concatenate([speech, np.zeros(int(2.5 * 16000), dtype=np.float32), speech]))
    result = client.audio.transcriptions.create(
        model="whisper-1",
        file=("twice.wav", audio),
        response_format="verbose_json",
        chunking_strategy={"type": "server_vad", "silence_duration_ms": 1500},
    )
    segments = result.segments or []
    assert segments
    # Every segment lies on one side of the pause: the audio was cut there.
    assert all(s.end <= pause_start + 0.5 or s.start >= pause_start + 2.0 for s in segments)
    assert result.text.count("ask not what your country can do for you") == 2


def test_an_invalid_chunking_strategy_is_400(client: openai.OpenAI, jfk: Path) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.audio.transcriptions.create(
            model="whisper-1", file=jfk, extra_body={"chunking_strategy": {"type": "client_vad"}}
        )
    assert raised.value.param == "chunking_strategy"


def test_logprobs_are_the_texts_words_with_their_log_probabilities(client: openai.OpenAI, jfk: Path) -> None:
    result = client.audio.transcriptions.create(model="whisper-1", file=jfk, include=["logprobs"])
    items = result.logprobs or []
    assert "".join(item.token or "" for item in items) == result.text
    assert all(item.logprob is not None and item.logprob <= 0 for item in items)
    assert all(bytes(int(b) for b in item.bytes or []) == (item.token or "").encode() for item in items)
    streamed = list(
        client.audio.transcriptions.create(model="whisper-1", file=jfk, include=["logprobs"], stream=True)
    )
    done = streamed[-1]
    assert isinstance(done, TranscriptionTextDoneEvent)
    assert [item.token for item in done.logprobs or []] == [item.token for item in items]
