"""`auricle serve` with AURICLE_LOG_FORMAT=json, as a log pipeline and Prometheus see it: every line JSON,
an access line that names the request the client was told about, and /metrics that counted it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx2
import openai
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.server import ONLY_TINY, Server, serve

pytestmark = pytest.mark.model

JFK_SECONDS = 11.0
TRANSCRIBE = "/v1/audio/transcriptions"


@pytest.fixture
def server(tmp_path: Path, model_cache: Path) -> Iterator[Server]:
    with serve(
        tmp_path,
        cache_dir=str(model_cache),
        **ONLY_TINY,
        log_format="json",
        log_level="debug",
    ) as running:
        yield running


def test_json_logs_and_metrics_of_a_real_transcription(server: Server, jfk: Path) -> None:
    client = openai.OpenAI(base_url=f"{server.base_url}/v1", api_key="x", max_retries=0)
    with jfk.open("rb") as audio:
        raw = client.audio.transcriptions.with_raw_response.create(model="whisper-1", file=audio)
    request_id = raw.headers["x-request-id"]
    assert "ask not what your country" in raw.parse().text.lower()
    metrics = httpx2.get(f"{server.base_url}/metrics", timeout=10).text
    assert server.terminate() == 0

    entries = [json.loads(line) for line in server.log_text().splitlines()]  # every line is JSON
    assert {entry["logger"] for entry in entries} >= {"uvicorn.error", "auricle.api.app", "auricle.access"}
    [access] = [entry for entry in entries if entry.get("request_id") == request_id and "status" in entry]
    assert (access["route"], access["model"], access["status"]) == (TRANSCRIBE, "tiny.en", 200)
    assert access["audio_seconds"] == pytest.approx(JFK_SECONDS, abs=0.1)
    assert access["processing_ms"] > 0
    assert "your country" not in server.log_text().lower()  # debug on, and still no transcript

    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
    }
    request = (("method", "POST"), ("model", "tiny.en"), ("route", TRANSCRIBE), ("status", "200"))
    assert samples[("auricle_requests_total", request)] == 1
    heard = samples[("auricle_audio_seconds_total", (("model", "tiny.en"), ("task", "transcribe")))]
    assert heard == pytest.approx(JFK_SECONDS, abs=0.1)
    assert samples[("auricle_real_time_factor_count", (("model", "tiny.en"),))] == 1
    assert samples[("auricle_batch_size_count", (("model", "tiny.en"),))] >= 1
    assert samples[("auricle_model_load_seconds", (("model", "tiny.en"),))] > 0
