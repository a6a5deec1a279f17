"""`stream=true` over a fake engine: OpenAI's SSE framing and events, errors before and after the first
byte, text sent while the rest is still being transcribed, and a client that leaves mid-stream."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx2
import openai
import pytest
from openai.types.audio import TranscriptionTextDeltaEvent, TranscriptionTextDoneEvent

from auricle.errors import TimedOut
from tests.api.conftest import AppClient, running
from tests.api.test_disconnect import Client, held_app, multipart_body, run_and_leave, wait_for
from tests.api.test_transcriptions import SPEECHLIKE, assert_error, post
from tests.fakes import FakeModel, fake_registry_factory
from tests.support.containers import sine_wav
from tests.support.openapi import validate

pytestmark = pytest.mark.anyio

TEXTS = (" First words.", " Then more", " and the end.")


def sse_events(body: str) -> list[dict[str, object]]:
    """The events of an SSE body, checking OpenAI's framing: `data:` lines of JSON, each followed by a
    blank line, and nothing else."""
    assert body.endswith("\n\n")
    events = []
    for block in body.removesuffix("\n\n").split("\n\n"):
        (line,) = block.split("\n")
        assert line.startswith("data: ")
        events.append(json.loads(line.removeprefix("data: ")))
    return events


def sdk_of(http: httpx2.AsyncClient) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url="http://auricle.test/v1", api_key="x", http_client=http, max_retries=0)


async def collect(stream: AsyncIterator[object], into: list[object]) -> None:
    async for event in stream:
        into.append(event)


@pytest.fixture
async def streaming(make_client: AppClient) -> AsyncIterator[httpx2.AsyncClient]:
    factory = fake_registry_factory(multilingual_model=FakeModel(texts=TEXTS))
    async with make_client(factory) as http:
        yield http


async def test_the_stream_is_deltas_then_one_done_in_openais_framing(streaming: httpx2.AsyncClient) -> None:
    response = await post(streaming, {"model": "whisper-1", "stream": "true"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["x-request-id"].startswith("req_")
    events = sse_events(response.text)
    assert [event["type"] for event in events] == ["transcript.text.delta"] * 3 + ["transcript.text.done"]
    deltas = [str(event["delta"]) for event in events[:-1]]
    assert deltas == ["First words.", " Then more", " and the end."]
    done = events[-1]
    assert done["text"] == "".join(deltas) == "First words. Then more and the end."
    for event in events[:-1]:
        validate(event, "TranscriptTextDeltaEvent")
    validate(done, "TranscriptTextDoneEvent")
    assert done["usage"] == {
        "type": "tokens",
        "input_tokens": 50,
        "input_token_details": {"text_tokens": 0, "audio_tokens": 50},
        "output_tokens": 9,
        "total_tokens": 59,
    }


async def test_the_sdk_iterates_typed_events_whose_text_is_the_plain_answer(
    streaming: httpx2.AsyncClient,
) -> None:
    client = sdk_of(streaming)
    plain = await client.audio.transcriptions.create(model="whisper-1", file=("a.wav", SPEECHLIKE))
    stream = await client.audio.transcriptions.create(
        model="whisper-1", file=("a.wav", SPEECHLIKE), stream=True
    )
    events = [event async for event in stream]
    assert all(isinstance(event, TranscriptionTextDeltaEvent) for event in events[:-1])
    assert isinstance(events[-1], TranscriptionTextDoneEvent)
    assert "".join(
        event.delta for event in events[:-1] if isinstance(event, TranscriptionTextDeltaEvent)
    ) == (events[-1].text)
    assert events[-1].text == plain.text


async def test_text_is_sent_while_the_rest_is_still_being_transcribed(make_client: AppClient) -> None:
    between = threading.Event()
    model = FakeModel(texts=TEXTS, between=between)
    async with make_client(fake_registry_factory(multilingual_model=model)) as http:
        files = {"file": ("a.wav", SPEECHLIKE, "audio/wav")}
        request = http.build_request(
            "POST", "/v1/audio/transcriptions", data={"model": "base", "stream": "true"}, files=files
        )
        response = await http.send(request, stream=True)
        lines = response.aiter_lines()
        first = await anext(lines)
        assert json.loads(first.removeprefix("data: ")) == {
            "type": "transcript.text.delta",
            "delta": "First words.",
        }
        assert not between.is_set()  # the model is still held after its first segment
        between.set()
        rest = [line async for line in lines if line]
        await response.aclose()
    assert [json.loads(line.removeprefix("data: "))["type"] for line in rest][-1] == "transcript.text.done"


@pytest.mark.parametrize("response_format", ["verbose_json", "srt", "vtt"])
async def test_formats_with_timestamps_cannot_be_streamed(
    http: httpx2.AsyncClient, response_format: str
) -> None:
    response = await post(http, {"model": "whisper-1", "stream": "true", "response_format": response_format})
    assert_error(response, 400, "invalid_request_error", "response_format", "invalid_value")
    assert "stream=true" in response.json()["error"]["message"]


@pytest.mark.parametrize("response_format", ["json", "text"])
async def test_json_and_text_stream_the_same_events(http: httpx2.AsyncClient, response_format: str) -> None:
    response = await post(http, {"model": "whisper-1", "stream": "true", "response_format": response_format})
    assert [event["type"] for event in sse_events(response.text)] == [
        "transcript.text.delta",
        "transcript.text.done",
    ]


async def test_stream_false_is_the_plain_answer(http: httpx2.AsyncClient) -> None:
    response = await post(http, {"model": "whisper-1", "stream": "false"})
    assert response.headers["content-type"] == "application/json"
    assert response.json()["text"] == "Hello from the fake engine."


async def test_what_fails_before_the_audio_is_decoded_is_an_ordinary_http_error(
    http: httpx2.AsyncClient,
) -> None:
    not_audio = await post(http, {"model": "whisper-1", "stream": "true"}, audio=b"\x00\x01garbage" * 100)
    assert_error(not_audio, 400, "invalid_request_error", "file", "invalid_value")
    unknown = await post(http, {"model": "no-such-model", "stream": "true"})
    assert unknown.status_code == 404
    with pytest.raises(openai.BadRequestError):
        await sdk_of(http).audio.transcriptions.create(
            model="whisper-1", file=("a.wav", sine_wav(0.05)), stream=True
        )


@pytest.mark.parametrize(
    ("failure", "error_type", "code"),
    [(RuntimeError("boom"), "server_error", None), (TimedOut(1.0), "server_error", "timeout")],
)
async def test_a_failure_after_the_first_byte_is_one_error_event(
    make_client: AppClient, failure: Exception, error_type: str, code: str | None
) -> None:
    model = FakeModel(texts=TEXTS, failure=failure)
    async with make_client(fake_registry_factory(multilingual_model=model)) as http:
        response = await post(http, {"model": "whisper-1", "stream": "true"})
        stream = await sdk_of(http).audio.transcriptions.create(
            model="whisper-1", file=("a.wav", SPEECHLIKE), stream=True
        )
        received: list[object] = []
        with pytest.raises(openai.APIError):
            await collect(stream, received)
    assert response.status_code == 200
    events = sse_events(response.text)
    assert [event["type"] for event in events] == ["transcript.text.delta", "error"]
    error = events[-1]["error"]
    assert isinstance(error, dict)
    assert set(error) == {"message", "type", "param", "code"}
    assert (error["type"], error["code"]) == (error_type, code)
    assert "boom" not in str(error["message"])  # an unexpected error's details stay in the log
    assert len(received) == 1


async def test_leaving_mid_stream_stops_the_model_and_frees_the_slot() -> None:
    between = threading.Event()
    model = FakeModel(texts=TEXTS, between=between)
    app = held_app(model)
    async with running(app) as http:
        client = Client([multipart_body(stream=True)])

        async def once_the_first_delta_is_sent() -> None:
            await wait_for(lambda: any(b"transcript.text.delta" in m.get("body", b"") for m in client.sent))

        await run_and_leave(app, client, once_the_first_delta_is_sent)
        await wait_for(model.stopped.is_set)
        assert client.status == 200
        assert not any(b"transcript.text.done" in m.get("body", b"") for m in client.sent)
        # concurrency 1 and no queue: refused with 429 unless the slot was given back.
        between.set()
        with anyio.fail_after(5):
            assert (await post(http, {"model": "base"})).status_code == 200


async def test_logprobs_ride_on_each_delta_and_the_done_event(streaming: httpx2.AsyncClient) -> None:
    response = await post(streaming, {"model": "whisper-1", "stream": "true", "include[]": "logprobs"})
    events = sse_events(response.text)
    for event in events:
        validate(
            event,
            "TranscriptTextDeltaEvent"
            if event["type"] == "transcript.text.delta"
            else "TranscriptTextDoneEvent",
        )
    first = events[0]["logprobs"]
    assert isinstance(first, list)
    assert first[0]["token"] == "Hello"  # the text's first token has no leading space, as the text has none
    assert first[0]["bytes"] == list(b"Hello")
    assert first[0]["logprob"] == pytest.approx(-0.10536, abs=1e-4)  # ln 0.9
    done = events[-1]["logprobs"]
    assert isinstance(done, list)
    assert len(done) == 6  # two words for each of three segments


async def test_logprobs_in_json_only_when_included(http: httpx2.AsyncClient) -> None:
    included = (await post(http, {"model": "whisper-1", "include[]": "logprobs"})).json()
    validate(included, "CreateTranscriptionResponseJson")
    assert [item["token"] for item in included["logprobs"]] == ["Hello", " world."]
    assert "logprobs" not in (await post(http, {"model": "whisper-1"})).json()
    verbose = await post(
        http, {"model": "whisper-1", "include[]": "logprobs", "response_format": "verbose_json"}
    )
    assert "logprobs" not in verbose.json()  # OpenAI documents logprobs for json only


async def test_include_segments_puts_verbose_jsons_timings_on_the_done_event(
    streaming: httpx2.AsyncClient,
) -> None:
    response = await post(streaming, {"model": "whisper-1", "stream": "true", "include[]": "segments"})
    events = sse_events(response.text)
    done: Any = events[-1]
    validate(done, "TranscriptTextDoneEvent")  # the extra fields are allowed by OpenAI's schema
    assert [segment["text"] for segment in done["segments"]] == list(TEXTS)
    for segment in done["segments"]:
        validate(segment, "TranscriptionSegment")
    assert done["words"], "the timings come with words"
    for word in done["words"]:
        validate(word, "TranscriptionWord")
    assert done["language"] == "english"
    assert done["duration"] > 0
    assert not any("segments" in event for event in events[:-1])
    plain = sse_events((await post(streaming, {"model": "whisper-1", "stream": "true"})).text)[-1]
    assert "segments" not in plain
    assert "words" not in plain
