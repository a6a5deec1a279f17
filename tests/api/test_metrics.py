"""/metrics over the fake engine: what each request adds, which labels it gets, and which it never gets."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import anyio
import httpx2
import pytest
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families

from auricle import __version__
from auricle.api.metrics import Metrics
from auricle.engine.observer import Transcribed
from auricle.live.seats import Seats
from tests.api.test_transcriptions import SPEECHLIKE, TRANSCRIBE, post
from tests.fakes import FAKE_TEXT, FakeModel, fake_registry_factory
from tests.support.containers import sine_wav

pytestmark = pytest.mark.anyio

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(text: str) -> Samples:
    """Every sample of the exposition, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(parsed: Samples, name: str, **labels: str) -> float | None:
    return parsed.get((name, frozenset(labels.items())))


async def scrape(http: httpx2.AsyncClient) -> Samples:
    response = await http.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == CONTENT_TYPE_LATEST
    return samples(response.text)


async def test_a_transcription_counts_its_request_audio_and_time(http: httpx2.AsyncClient) -> None:
    response = await http.post(
        TRANSCRIBE, data={"model": "whisper-1"}, files={"file": ("a.wav", sine_wav(2.5), "audio/wav")}
    )
    assert response.status_code == 200
    parsed = await scrape(http)
    request = {"route": TRANSCRIBE, "method": "POST", "status": "200", "model": "base"}
    assert value(parsed, "auricle_requests_total", **request) == 1
    assert value(parsed, "auricle_request_duration_seconds_count", route=TRANSCRIBE, model="base") == 1
    assert value(parsed, "auricle_audio_seconds_total", model="base", task="transcribe") == pytest.approx(2.5)
    processing = value(parsed, "auricle_processing_seconds_total", model="base", task="transcribe")
    assert processing is not None
    assert processing > 0
    assert value(parsed, "auricle_real_time_factor_count", model="base") == 1
    assert value(parsed, "auricle_real_time_factor_bucket", model="base", le="+Inf") == 1
    assert value(parsed, "auricle_build_info", version=__version__) == 1


async def test_a_stream_is_counted_once_its_body_has_ended(http: httpx2.AsyncClient) -> None:
    response = await post(http, {"model": "base", "stream": "true"})
    assert response.status_code == 200
    assert "transcript.text.done" in response.text
    parsed = await scrape(http)
    assert value(
        parsed, "auricle_requests_total", route=TRANSCRIBE, method="POST", status="200", model="base"
    )
    assert value(parsed, "auricle_audio_seconds_total", model="base", task="transcribe") == pytest.approx(1.0)


async def test_errors_are_counted_and_no_label_comes_from_the_client(make_client: Callable[..., Any]) -> None:
    async with make_client(api_keys=["sk-the-real-key"]) as http:
        bearer = {"authorization": "Bearer sk-the-real-key"}
        unauthorized = await http.post(TRANSCRIBE, headers={"authorization": "Bearer sk-a-wrong-key"})
        missing_file = await http.post(TRANSCRIBE, headers=bearer, data={"model": "base"}, files={"x": b"x"})
        unknown = await http.post(
            TRANSCRIBE, headers=bearer, data={"model": "my-secret-model"}, files={"file": SPEECHLIKE}
        )
        retrieve = await http.get("/v1/models/another-made-up-name", headers=bearer)
        nowhere = await http.get("/v1/no-such-route-xyz", headers=bearer)
        odd_method = await http.request("BREW", "/health")
        metrics = await http.get("/metrics")  # no key needed, as for /health
    statuses = [r.status_code for r in (unauthorized, missing_file, unknown, retrieve, nowhere, odd_method)]
    assert statuses == [401, 400, 404, 404, 404, 405]
    assert metrics.status_code == 200
    parsed = samples(metrics.text)
    for route, method, status in [
        (TRANSCRIBE, "POST", "401"),
        (TRANSCRIBE, "POST", "400"),
        (TRANSCRIBE, "POST", "404"),
        ("/v1/models/{model_id}", "GET", "404"),
        ("other", "GET", "404"),
        ("/health", "other", "405"),
    ]:
        assert value(
            parsed, "auricle_requests_total", route=route, method=method, status=status, model="none"
        )
    for secret in ("my-secret-model", "another-made-up-name", "no-such-route-xyz", "BREW", "sk-the-real-key"):
        assert secret not in metrics.text
    assert "sk-a-wrong-key" not in metrics.text


async def test_no_transcript_prompt_or_file_name_in_the_metrics(http: httpx2.AsyncClient) -> None:
    fields = {"model": "whisper-1", "prompt": "a private prompt", "response_format": "verbose_json"}
    response = await http.post(TRANSCRIBE, data=fields, files={"file": ("board-minutes.wav", SPEECHLIKE)})
    assert response.status_code == 200
    text = (await http.get("/metrics")).text
    for secret in (FAKE_TEXT.strip(), "Hello", "a private prompt", "board-minutes"):
        assert secret not in text


async def test_queue_depth_and_requests_in_progress_per_model(make_client: Callable[..., Any]) -> None:
    model = FakeModel(gate=threading.Event())
    factory = fake_registry_factory(multilingual_model=model)
    async with make_client(factory, concurrency=1, max_queue=4) as http:
        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(post, http, {"model": "base"})
            while not model.calls:  # the first request is inside the engine, the others wait behind it
                await anyio.sleep(0.01)
            while value(await scrape(http), "auricle_queue_depth", model="base") != 2:
                await anyio.sleep(0.01)
            held = await scrape(http)
            assert model.gate is not None
            model.gate.set()
        after = await scrape(http)
    assert value(held, "auricle_requests_in_progress", model="base") == 1
    assert value(held, "auricle_requests_in_progress", model="tiny.en") == 0
    assert value(after, "auricle_queue_depth", model="base") == 0
    assert value(after, "auricle_requests_in_progress", model="base") == 0


async def test_model_load_times_and_live_seats(make_client: Callable[..., Any]) -> None:
    async with make_client(live_max_sessions=5) as http:
        parsed = await scrape(http)
    for model_id in ("base", "tiny.en"):
        load = value(parsed, "auricle_model_load_seconds", model=model_id)
        assert load is not None
        assert load >= 0
    assert value(parsed, "auricle_live_sessions") == 0
    assert value(parsed, "auricle_live_sessions_limit") == 5


async def test_metrics_can_be_turned_off(make_client: Callable[..., Any]) -> None:
    async with make_client(metrics=False) as http:
        assert (await post(http, {"model": "base"})).status_code == 200
        response = await http.get("/metrics")
    assert response.status_code == 404


async def test_metrics_stay_out_of_the_openapi_document(http: httpx2.AsyncClient) -> None:
    paths = (await http.get("/openapi.json")).json()["paths"]
    assert "/metrics" not in paths


async def test_each_app_counts_only_its_own_requests(make_client: Callable[..., Any]) -> None:
    async with make_client() as first:
        assert (await post(first, {"model": "base"})).status_code == 200
    async with make_client() as second:
        parsed = await scrape(second)
    assert (
        value(parsed, "auricle_requests_total", route=TRANSCRIBE, method="POST", status="200", model="base")
        is None
    )


def test_batches_partials_and_translations_are_told_apart() -> None:
    """What the engine reports directly: batch sizes, and partial decodes kept out of the real-time factor."""
    metrics = Metrics(lambda: None, Seats(3, 5))
    for size in (1, 3, 8):
        metrics.batched("base", size)
    metrics.transcribed(Transcribed("base", "transcribe", True, 4.0, 1.0))
    metrics.transcribed(Transcribed("base", "translate", False, 10.0, 1.0))
    parsed = samples(metrics.exposition().decode())
    assert value(parsed, "auricle_batch_size_count", model="base") == 3
    assert value(parsed, "auricle_batch_size_sum", model="base") == 12
    assert value(parsed, "auricle_batch_size_bucket", model="base", le="4.0") == 2
    assert value(parsed, "auricle_audio_seconds_total", model="base", task="partial") == 4
    assert value(parsed, "auricle_audio_seconds_total", model="base", task="translate") == 10
    assert value(parsed, "auricle_real_time_factor_count", model="base") == 1
    assert value(parsed, "auricle_real_time_factor_sum", model="base") == pytest.approx(0.1)
    assert value(parsed, "auricle_requests_in_progress", model="base") is None  # no registry yet
