"""CORS is off unless origins are configured; then browsers on those origins may call the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.test_transcriptions import TRANSCRIBE, post

pytestmark = pytest.mark.anyio

ORIGIN = "https://chat.example.com"
PREFLIGHT = {
    "origin": ORIGIN,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type",
}


async def test_off_by_default(make_client: Callable[..., Any]) -> None:
    async with make_client() as http:
        preflight = await http.options(TRANSCRIBE, headers=PREFLIGHT)
        models = await http.get("/v1/models", headers={"origin": ORIGIN})
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in models.headers


async def test_configured_origin_passes_preflight_without_a_key(make_client: Callable[..., Any]) -> None:
    async with make_client(cors_origins=[ORIGIN], api_keys=["k"]) as http:
        preflight = await http.options(TRANSCRIBE, headers=PREFLIGHT)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()


async def test_configured_origin_can_read_answers_and_errors(make_client: Callable[..., Any]) -> None:
    async with make_client(cors_origins=[ORIGIN], api_keys=["k"]) as http:
        http.headers["origin"] = ORIGIN
        refused = await post(http, {"model": "base"})
        http.headers["authorization"] = "Bearer k"
        answered = await post(http, {"model": "base"})
    for response in (refused, answered):
        assert response.headers["access-control-allow-origin"] == ORIGIN
        assert "x-request-id" in response.headers["access-control-expose-headers"]
    assert (refused.status_code, answered.status_code) == (401, 200)


async def test_other_origins_are_not_allowed(make_client: Callable[..., Any]) -> None:
    async with make_client(cors_origins=[ORIGIN]) as http:
        preflight = await http.options(TRANSCRIBE, headers={**PREFLIGHT, "origin": "https://evil.example"})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
