"""The body limit (413 while streaming), the queue limit (429 + Retry-After), and a clean 500."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import httpx2
import pytest

from tests.api.test_transcriptions import SPEECHLIKE, TRANSCRIBE, assert_error, post
from tests.fakes import FakeModel, fake_registry_factory

pytestmark = pytest.mark.anyio
LIMIT = 64 * 1024


async def test_declared_oversized_body_is_413_before_reading(make_client: Callable[..., Any]) -> None:
    async with make_client(max_body_bytes=LIMIT) as http:
        response = await http.post(
            TRANSCRIBE, data={"model": "whisper-1"}, files={"file": b"\0" * (LIMIT + 1)}
        )
    assert_error(response, 413, "server_error", None, None)
    assert response.json()["error"]["message"].startswith(f"Maximum content size limit ({LIMIT}) exceeded (")


async def test_streamed_oversized_body_is_413(make_client: Callable[..., Any]) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        boundary_head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n'
        yield boundary_head
        for _ in range(100):  # 1.6 MB in all, with no Content-Length to refuse up front
            sent += 16384
            yield b"\0" * 16384

    async with make_client(max_body_bytes=LIMIT) as http:
        response = await http.post(
            TRANSCRIBE, content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"}
        )
    assert_error(response, 413, "server_error", None, None)
    assert sent < 200_000  # reading stopped soon after the limit


async def test_body_just_under_the_limit_is_read(make_client: Callable[..., Any]) -> None:
    async with make_client(max_body_bytes=LIMIT) as http:
        response = await post(http, {"model": "whisper-1"}, SPEECHLIKE)
    assert response.status_code == 200


async def test_full_queue_is_429_with_retry_after(make_client: Callable[..., Any]) -> None:
    gate = threading.Event()
    model = FakeModel(gate=gate)
    factory = fake_registry_factory(multilingual_model=model)
    async with make_client(factory, concurrency=1, max_queue=0, retry_after_seconds=7) as http:
        first: dict[str, httpx2.Response] = {}

        async def hold_the_worker() -> None:
            first["response"] = await post(http, {"model": "base"})

        async with anyio.create_task_group() as group:
            group.start_soon(hold_the_worker)
            while not model.calls:  # wait until the first request is inside the engine
                await anyio.sleep(0.01)
            second = await post(http, {"model": "base"})
            gate.set()
    assert_error(second, 429, "requests", None, "rate_limit_exceeded")
    assert second.headers["retry-after"] == "7"
    assert second.headers["x-should-retry"] == "true"
    assert first["response"].status_code == 200


class ExplodingModel(FakeModel):
    def transcribe(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")


async def test_unexpected_failure_is_500_envelope_without_traceback(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    factory = fake_registry_factory(multilingual_model=ExplodingModel())
    async with make_client(factory) as http:
        response = await post(http, {"model": "base"})
    assert_error(response, 500, "server_error", None, None)
    message = response.json()["error"]["message"]
    assert response.headers["x-request-id"] in message
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    assert "secret internal detail" in caplog.text  # but the operator's log has it
