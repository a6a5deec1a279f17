"""Realtime sessions on a metered key: one in-flight slot per session, each turn recorded to the
millisecond, and a session that runs out of quota told so and closed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import websockets
from sqlalchemy import select

from auricle.accounts import keys
from auricle.accounts.schema import accounts, usage_events
from auricle.accounts.store import Store
from auricle.api.app import create_app
from auricle.config import Settings
from tests.fakes import FakeModel, fake_registry_factory
from tests.support.realtime import URL_PATH, append
from tests.support.threaded import served

pytestmark = pytest.mark.anyio
MANUAL = {"type": "transcription", "audio": {"input": {"turn_detection": None}}}
ONE_SECOND = bytes(48_000)  # 24 kHz, 16-bit


async def _next(socket: Any, kind: str) -> dict[str, Any]:
    while True:
        event: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 10))
        if event["type"] == kind:
            return event


async def test_turns_are_recorded_and_a_session_out_of_quota_is_closed(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path, data_dir=tmp_path, prices={"*": {"audio_second": 0.001}})
    app = create_app(settings, fake_registry_factory(multilingual_model=FakeModel()))
    with served(app) as base:
        store: Store = app.state.metering.store
        account = keys.create_account(store, "acme", balance_micros=2_500)  # 2.5 s at 1,000 a second
        _, key = keys.create_key(store, account, "k", keys.Limits(max_concurrent=1))
        headers = {"Authorization": f"Bearer {key}"}
        async with websockets.connect(base + URL_PATH, additional_headers=headers) as socket:
            with pytest.raises(websockets.InvalidStatus) as second:
                await websockets.connect(base + URL_PATH, additional_headers=headers)
            await _next(socket, "session.created")
            await socket.send(json.dumps({"type": "session.update", "session": MANUAL}))
            for _ in range(3):
                await socket.send(append(ONE_SECOND))
                await socket.send(json.dumps({"type": "input_audio_buffer.commit"}))
                await _next(socket, "conversation.item.input_audio_transcription.completed")
            refused = await _next(socket, "error")
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(socket.recv(), 10)
        with store.transaction() as conn:
            rows = conn.execute(
                select(usage_events.c.endpoint, usage_events.c.billed_ms, usage_events.c.cost_micros)
            )
            turns = sorted(tuple(row) for row in rows)
            balance = conn.execute(
                select(accounts.c.balance_micros).where(accounts.c.id == account)
            ).scalar_one()
    assert second.value.response.status_code == 429
    assert refused["error"]["code"] == "insufficient_quota"
    # Each turn to the millisecond (a second at 24 kHz decodes to 999-1000 ms); the last one is charged
    # only what was left, and the balance ends at zero, never below.
    assert [endpoint for endpoint, _, _ in turns] == ["realtime"] * 3
    assert all(990 <= billed <= 1000 for _, billed, _ in turns)
    assert sum(cost for _, _, cost in turns) == 2_500
    assert balance == 0
