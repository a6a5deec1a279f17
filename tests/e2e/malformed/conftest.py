"""For every malformed-input case: the real app, and the check that it still transcribes afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import pytest
from fastapi import FastAPI

from tests.support.rejections import asgi_client, assert_still_transcribes


@pytest.fixture
async def http(real_app: FastAPI) -> AsyncIterator[httpx2.AsyncClient]:
    async with asgi_client(real_app) as client:
        yield client


@pytest.fixture(autouse=True)
async def still_transcribes(http: httpx2.AsyncClient, jfk_flac: bytes) -> AsyncIterator[None]:
    """After every case the app must still transcribe a normal recording: no bad request broke it."""
    yield
    await assert_still_transcribes(http, jfk_flac)
