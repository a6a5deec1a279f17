"""Request ids: a fresh `req_` id per request by default; behind Ray Serve, the proxy's id adopted."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from tests.api.test_access import access_lines
from tests.api.test_limits import ExplodingModel
from tests.api.test_transcriptions import TRANSCRIBE
from tests.fakes import fake_registry_factory
from tests.support.containers import sine_wav

pytestmark = pytest.mark.anyio

AUDIO = {"file": ("a.wav", sine_wav(1.0), "audio/wav")}
SERVE_ID = "3f1c2a9e-6d0b-4c59-9a51-0f6f3b9d2c11"  # the shape of the ids Serve's proxy sets


async def test_by_default_a_client_id_is_ignored_and_one_fresh_id_is_sent(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="auricle")
    async with make_client() as http:
        response = await http.post(
            TRANSCRIBE, data={"model": "base"}, files=AUDIO, headers={"x-request-id": SERVE_ID}
        )
    assert response.status_code == 200
    assert response.headers.get_list("x-request-id") == [response.headers["x-request-id"]]
    assert response.headers["x-request-id"].startswith("req_")
    [line] = access_lines(caplog)
    assert line["request_id"] == response.headers["x-request-id"]


async def test_adopted_id_is_logged_and_no_header_is_added(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="auricle")
    async with make_client(adopt_request_id=True) as http:
        response = await http.post(
            TRANSCRIBE, data={"model": "base"}, files=AUDIO, headers={"x-request-id": SERVE_ID}
        )
    assert response.status_code == 200
    assert "x-request-id" not in response.headers  # the proxy adds its own: clients see exactly one
    assert "openai-processing-ms" in response.headers
    [line] = access_lines(caplog)
    assert line["request_id"] == SERVE_ID


@pytest.mark.parametrize(
    "incoming",
    [
        b"x" * 129,  # too long for a log line's id
        b"abc def",  # a space
        b"id\tinjected",
        "caf\u00e9".encode(),
        b"",
    ],
)
async def test_an_unsafe_id_is_replaced_by_a_fresh_one(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture, incoming: bytes
) -> None:
    caplog.set_level(logging.INFO, logger="auricle")
    async with make_client(adopt_request_id=True) as http:
        response = await http.post(
            TRANSCRIBE,
            data={"model": "base"},
            files=AUDIO,
            headers={"x-request-id": incoming},
        )
    assert response.status_code == 200
    [line] = access_lines(caplog)
    assert line["request_id"].startswith("req_")
    assert len(line["request_id"]) == 36


async def test_without_an_incoming_id_a_fresh_one_is_used(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="auricle")
    async with make_client(adopt_request_id=True) as http:
        response = await http.get("/v1/models")
    assert response.status_code == 200
    assert "x-request-id" not in response.headers
    [line] = access_lines(caplog)
    assert line["request_id"].startswith("req_")


async def test_an_unexpected_error_names_the_adopted_id(make_client: Callable[..., Any]) -> None:
    factory = fake_registry_factory(multilingual_model=ExplodingModel())
    async with make_client(factory, adopt_request_id=True) as http:
        response = await http.post(
            TRANSCRIBE, data={"model": "base"}, files=AUDIO, headers={"x-request-id": SERVE_ID}
        )
    assert response.status_code == 500
    assert SERVE_ID in response.json()["error"]["message"]
    assert "x-request-id" not in response.headers
