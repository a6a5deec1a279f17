"""A client that goes away stops its work and frees its slot; a request past its time limit is stopped.

These drive the ASGI app directly, because only there can a test say exactly when the client leaves.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx2
import pytest
from fastapi import FastAPI
from starlette.types import Message

from auricle.api.app import create_app
from auricle.config import Settings
from tests.api.conftest import running
from tests.api.test_transcriptions import SPEECHLIKE, assert_error, post
from tests.fakes import FakeModel, fake_registry_factory

pytestmark = pytest.mark.anyio

BOUNDARY = "auricle-test-boundary"


def multipart_body(audio: bytes = SPEECHLIKE, model: str = "base", *, stream: bool = False) -> bytes:
    streamed = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="stream"\r\n\r\ntrue\r\n' if stream else ""
    )
    return (
        (
            streamed + f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="model"\r\n\r\n{model}\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n'
            "Content-Type: audio/wav\r\n\r\n"
        ).encode()
        + audio
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


class Client:
    """One HTTP request as the server sees it: its body in chunks, then a disconnect when told."""

    def __init__(self, chunks: list[bytes], *, complete: bool = True) -> None:
        self._chunks = list(chunks)
        self._complete = complete
        self.leave = anyio.Event()
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        if self._chunks:
            body = self._chunks.pop(0)
            more = bool(self._chunks) or not self._complete
            return {"type": "http.request", "body": body, "more_body": more}
        await self.leave.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int | None:
        starts = [message for message in self.sent if message["type"] == "http.response.start"]
        return int(starts[0]["status"]) if starts else None


def scope(body_length: int | None = None) -> dict[str, Any]:
    headers = [(b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())]
    if body_length is not None:
        headers.append((b"content-length", str(body_length).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/audio/transcriptions",
        "raw_path": b"/v1/audio/transcriptions",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("auricle.test", 80),
    }


async def wait_for(condition: Callable[[], bool]) -> None:
    with anyio.fail_after(5):
        while not condition():
            await anyio.sleep(0.01)


async def run_and_leave(app: FastAPI, client: Client, leave_when: Callable[[], Awaitable[None]]) -> None:
    async with anyio.create_task_group() as group:
        group.start_soon(app, scope(), client.receive, client.send)
        await leave_when()
        client.leave.set()


def held_app(model: FakeModel, **settings: Any) -> FastAPI:
    factory = fake_registry_factory(multilingual_model=model)
    return create_app(Settings(concurrency=1, max_queue=0, **settings), factory)


async def test_leaving_during_inference_stops_the_model_and_frees_the_slot() -> None:
    model = FakeModel(gate=threading.Event())
    app = held_app(model)
    async with running(app) as http:
        client = Client([multipart_body()])

        async def once_inference_started() -> None:
            await wait_for(lambda: bool(model.calls))

        await run_and_leave(app, client, once_inference_started)
        await wait_for(model.stopped.is_set)  # at its next window boundary
        assert client.status == 499
        # max_queue=0 and concurrency 1: this is refused with 429 unless the slot was given back.
        assert model.gate is not None
        model.gate.set()
        assert (await post(http, {"model": "base"})).status_code == 200


async def test_leaving_mid_upload_never_reaches_the_model(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="auricle")
    model = FakeModel(gate=threading.Event())
    app = held_app(model)
    body = multipart_body()
    async with running(app):
        client = Client([body[: len(body) // 2]], complete=False)
        client.leave.set()  # the rest of the body never comes
        await app(scope(len(body)), client.receive, client.send)
    assert client.status == 499
    assert not model.calls
    assert "disconnected during its upload" in caplog.text
    assert "unexpected error" not in caplog.text


async def test_a_client_that_stays_gets_its_answer() -> None:
    model = FakeModel(gate=threading.Event())
    app = held_app(model)
    async with running(app):
        client = Client([multipart_body()])

        async def release_then_wait_for_the_answer() -> None:
            await wait_for(lambda: bool(model.calls))
            assert model.gate is not None
            model.gate.set()
            await wait_for(lambda: client.status is not None)

        await run_and_leave(app, client, release_then_wait_for_the_answer)
    assert client.status == 200
    assert not model.stopped.is_set()


async def test_request_past_its_time_limit_is_stopped_with_504() -> None:
    model = FakeModel(gate=threading.Event())
    async with running(held_app(model, request_timeout_seconds=0.2)) as http:
        response = await post(http, {"model": "base"})
        await wait_for(model.stopped.is_set)
        assert model.gate is not None
        model.gate.set()
        after = await post(http, {"model": "base"})
    assert_error(response, 504, "server_error", None, "timeout")
    assert "time limit of 0.2 seconds" in response.json()["error"]["message"]
    # The same audio would time out again, so the SDKs are told not to upload it twice more.
    assert response.headers["x-should-retry"] == "false"
    assert after.status_code == 200


async def test_queued_request_that_leaves_is_dropped_before_it_runs() -> None:
    model = FakeModel(gate=threading.Event())
    app = create_app(Settings(concurrency=1, max_queue=1), fake_registry_factory(multilingual_model=model))
    async with running(app) as http:
        holder: dict[str, httpx2.Response] = {}

        async def hold_the_worker() -> None:
            holder["response"] = await post(http, {"model": "base"})

        async with anyio.create_task_group() as group:
            group.start_soon(hold_the_worker)
            await wait_for(lambda: len(model.calls) == 1)
            queued = Client([multipart_body()])

            async def after_a_moment_in_the_queue() -> None:
                await anyio.sleep(0.1)

            await run_and_leave(app, queued, after_a_moment_in_the_queue)
            assert model.gate is not None
            model.gate.set()
    assert queued.status == 499
    assert holder["response"].status_code == 200
    assert len(model.calls) == 1  # the queued job never ran


async def test_body_cut_before_its_closing_boundary_is_400_and_closes_its_file() -> None:
    # Over 1 MB, so the cut-off part had spooled to a file; the strict warnings fail the test if it leaks.
    body = multipart_body(b"\0" * 3_000_000)
    app = held_app(FakeModel())
    async with running(app):
        client = Client([body[: len(body) // 2]])
        await app(scope(len(body)), client.receive, client.send)
    assert client.status == 400
    error = json.loads(client.sent[-1]["body"])["error"]
    assert error["code"] == "invalid_multipart"
    assert "ends before its closing boundary" in error["message"]
