"""Speech synthesis metered: characters counted once, a key that cannot pay refused before a word."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx2
import pytest
from fastapi import FastAPI

from auricle.accounts import keys
from auricle.api.app import create_app
from auricle.config import Settings
from tests.api.test_metering import client, ledger, new_key
from tests.fakes import fake_registry_factory
from tests.support.voices import ToneVoice, tone_synthesizer

pytestmark = pytest.mark.anyio
TEXT = "Hello there, my friend."
SPEECH_PRICES = {"*": {"character": 0.001}}  # 1,000 micros a character


@asynccontextmanager
async def speech_app(tmp_path: Path, voice: ToneVoice) -> AsyncIterator[FastAPI]:
    settings = Settings(cache_dir=tmp_path, data_dir=tmp_path, prices=SPEECH_PRICES)
    app = create_app(settings, fake_registry_factory())
    app.state.synthesizer = tone_synthesizer(voice)
    async with app.router.lifespan_context(app):
        yield app


async def speak(http: httpx2.AsyncClient, key: str, text: str = TEXT) -> httpx2.Response:
    body = {"model": "tts-1", "voice": "alloy", "input": text, "response_format": "pcm"}
    return await http.post("/v1/audio/speech", headers={"authorization": f"Bearer {key}"}, json=body)


async def test_a_speech_request_is_counted_once_with_its_characters(tmp_path: Path) -> None:
    async with speech_app(tmp_path, ToneVoice()) as app:
        key = new_key(app, balance=1_000_000)
        async with client(app) as http:
            response = await speak(http, key)
            assert response.status_code == 200
            assert len(response.content) > 0
        (row,) = ledger(app)
        assert (row["endpoint"], row["model"], row["status"]) == ("speech", "tts-1", "completed")
        assert row["characters"] == len(TEXT)
        assert row["cost_micros"] == 1000 * len(TEXT)


async def test_a_key_that_cannot_pay_for_the_input_is_refused_before_synthesis(tmp_path: Path) -> None:
    voice = ToneVoice()
    async with speech_app(tmp_path, voice) as app:
        key = new_key(app, balance=1000 * (len(TEXT) - 1))  # one character short
        async with client(app) as http:
            response = await speak(http, key)
        assert response.status_code == 429
        assert response.json()["error"]["code"] == "insufficient_quota"
        assert response.headers["x-should-retry"] == "false"
        assert voice.pieces == []
        assert all(row["characters"] == 0 for row in ledger(app))


async def test_speech_counts_against_the_rpm_limit(tmp_path: Path) -> None:
    async with speech_app(tmp_path, ToneVoice()) as app:
        key = new_key(app, keys.Limits(rpm=2))
        async with client(app) as http:
            statuses = [(await speak(http, key)).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert len([row for row in ledger(app) if row["status"] == "completed"]) == 2
