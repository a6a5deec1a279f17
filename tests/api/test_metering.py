"""Metering through the HTTP layer, in-process on the fake engine and an SQLite file: the SDK's retries,
OpenAI's 429s and headers, whole-file refusals, streams that are left, and a store that is down."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx2
import openai
import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, select

from auricle.accounts import keys
from auricle.accounts.schema import accounts, usage_events
from auricle.accounts.store import Store
from auricle.api.app import create_app
from auricle.config import Settings
from tests.api.conftest import BASE_URL
from tests.api.test_disconnect import Client, multipart_body, scope, wait_for
from tests.fakes import FakeModel, fake_registry_factory
from tests.support.tone import tone_wav

pytestmark = pytest.mark.anyio
PRICES = {"*": {"audio_second": 0.001}}


@asynccontextmanager
async def metered_app(
    tmp_path: Path, model: FakeModel | None = None, **overrides: Any
) -> AsyncIterator[FastAPI]:
    settings = Settings(cache_dir=tmp_path, data_dir=tmp_path, prices=PRICES, **overrides)
    app = create_app(settings, fake_registry_factory(multilingual_model=model or FakeModel()))
    async with app.router.lifespan_context(app):
        yield app


def store_of(app: FastAPI) -> Store:
    store: Store = app.state.metering.store
    return store


def new_key(app: FastAPI, limits: keys.Limits | None = None, balance: int | None = None) -> str:
    account = keys.create_account(store_of(app), "acme", balance_micros=balance)
    return keys.create_key(store_of(app), account, "k", limits or keys.Limits())[1]


def client(app: FastAPI, **hooks: Any) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app), base_url=BASE_URL, timeout=30, **hooks)


def post(http: httpx2.AsyncClient, key: str, seconds: float = 2.0, **data: str) -> Any:
    return http.post(
        "/v1/audio/transcriptions",
        headers={"authorization": f"Bearer {key}"},
        files={"file": ("a.wav", tone_wav(seconds), "audio/wav")},
        data={"model": "base", **data},
    )


def ledger(app: FastAPI) -> list[dict[str, Any]]:
    with store_of(app).transaction() as conn:
        return [dict(row) for row in conn.execute(select(usage_events)).mappings()]


async def test_the_sdk_sends_an_insufficient_quota_request_once_and_retries_a_rate_limit(
    tmp_path: Path,
) -> None:
    async with metered_app(tmp_path) as app:
        broke = new_key(app, balance=0)
        busy = new_key(app, keys.Limits(max_concurrent=1))
        principal = keys.authenticate(store_of(app), busy, frozenset())
        app.state.metering.meter.admit(principal, "transcriptions")  # the one slot, taken elsewhere
        attempts: list[str] = []

        async def count(request: httpx2.Request) -> None:
            attempts.append(request.headers["authorization"])

        async with client(app, event_hooks={"request": [count]}) as http:
            for key, error in ((broke, openai.RateLimitError), (busy, openai.RateLimitError)):
                sdk = openai.AsyncOpenAI(
                    base_url=f"{BASE_URL}/v1", api_key=key, http_client=http, max_retries=2
                )
                with pytest.raises(error) as raised:
                    await sdk.audio.transcriptions.create(model="base", file=("a.wav", tone_wav(2.0)))
                assert raised.value.code == ("insufficient_quota" if key == broke else "rate_limit_exceeded")
    assert attempts.count(f"Bearer {broke}") == 1
    assert attempts.count(f"Bearer {busy}") == 3


async def test_a_file_longer_than_what_remains_is_refused_before_inference(tmp_path: Path) -> None:
    model = FakeModel()
    async with metered_app(tmp_path, model) as app, client(app) as http:
        key = new_key(app, keys.Limits(monthly_audio_seconds=5))
        refused = await post(http, key, seconds=8.0)
        assert refused.status_code == 429
        assert refused.headers["x-should-retry"] == "false"
        assert refused.json()["error"]["code"] == "insufficient_quota"
        assert refused.json()["error"]["type"] == "insufficient_quota"
        assert "needs 8 s of audio; 5 s remain" in refused.json()["error"]["message"]
        assert model.calls == []
        assert (await post(http, key, seconds=4.0)).status_code == 200
        assert [(row["status"], row["billed_ms"]) for row in ledger(app)] == [
            ("failed", 0),
            ("completed", 4000),
        ]


async def test_rate_headers_on_every_answer_and_the_429(tmp_path: Path) -> None:
    async with metered_app(tmp_path) as app, client(app) as http:
        key = new_key(app, keys.Limits(rpm=2))
        first = await post(http, key)
        assert first.status_code == 200
        assert first.headers["x-ratelimit-limit-requests"] == "2"
        assert first.headers["x-ratelimit-remaining-requests"] == "1"
        assert first.headers["x-ratelimit-reset-requests"].endswith("s")
        await post(http, key)
        refused = await post(http, key)
        assert refused.status_code == 429
        assert refused.json()["error"] == {
            "message": refused.json()["error"]["message"],
            "type": "requests",
            "param": None,
            "code": "rate_limit_exceeded",
        }
        assert refused.headers["x-ratelimit-remaining-requests"] == "0"
        assert int(refused.headers["retry-after"]) >= 29
        assert "Limit 2, Used 2, Requested 1" in refused.json()["error"]["message"]


async def test_static_keys_are_metered_under_the_built_in_account(tmp_path: Path) -> None:
    async with metered_app(tmp_path, api_keys=["static-key-0123456789"]) as app, client(app) as http:
        assert (
            await post(http, "static-key-0123456789", seconds=3.0, response_format="json")
        ).status_code == 200
        assert (await post(http, "some-other-key-0123")).status_code == 401
        [row] = ledger(app)
        exposition = (await http.get("/metrics")).text
    assert (row["account_id"], row["billed_ms"], row["cost_micros"]) == (keys.STATIC_ACCOUNT, 3000, 3000)
    labels = 'account="proj_static",endpoint="transcriptions"'
    counted = f'auricle_account_requests_total{{{labels},status="completed"}} 1.0'
    assert counted in exposition
    assert (
        'auricle_account_billed_audio_seconds_total{account="proj_static",endpoint="transcriptions"} 3.0'
        in exposition
    )
    assert "static-key" not in exposition


async def test_a_stream_that_is_left_pays_for_what_it_was_sent(tmp_path: Path) -> None:
    between = threading.Event()
    model = FakeModel(texts=(" One.", " Two.", " Three."), between=between)
    async with metered_app(tmp_path, model) as app:
        key = new_key(app, balance=100_000)
        client = Client([multipart_body(tone_wav(9.0), stream=True)])
        request = scope()
        request["headers"].append((b"authorization", f"Bearer {key}".encode()))

        async def once_the_first_delta_is_sent() -> None:
            await wait_for(lambda: any(b"transcript.text.delta" in m.get("body", b"") for m in client.sent))

        async with anyio.create_task_group() as group:
            group.start_soon(app, request, client.receive, client.send)
            await once_the_first_delta_is_sent()  # the first of three segments: 0-3 s
            client.leave.set()
        await wait_for(lambda: bool(ledger(app)))
        [row] = ledger(app)
        with store_of(app).transaction() as conn:
            balance, held = conn.execute(select(accounts.c.balance_micros, accounts.c.held_micros)).one()
    assert (row["status"], row["billed_ms"], row["cost_micros"]) == ("cancelled", 3000, 3000)
    assert (balance, held) == (97_000, 0)


async def test_a_store_that_is_down_fails_closed_or_open(tmp_path: Path) -> None:
    for fail_open, status in ((False, 503), (True, 200)):
        async with (
            metered_app(
                tmp_path / str(fail_open), metering_fail_open=fail_open, api_keys=["static-key-0123456789"]
            ) as app,
            client(app) as http,
        ):
            app.state.metering.store.engine = create_engine(f"sqlite:///{tmp_path}/missing/dir/x.db")
            answer = await post(http, "static-key-0123456789")
            assert answer.status_code == status
            if status == 503:
                assert answer.headers["x-should-retry"] == "true"
                assert answer.json()["error"]["type"] == "server_error"
