"""The real HTTP stack over a fake engine: fast tests of the API layer, not of recognition."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI

from auricle.api.app import create_app
from auricle.config import Settings
from tests.fakes import fake_registry_factory

BASE_URL = "http://auricle.test"
AppClient = Callable[..., Any]


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx2.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx2.ASGITransport(app)
        async with httpx2.AsyncClient(transport=transport, base_url=BASE_URL, timeout=30) as http:
            yield http


@pytest.fixture
def make_client(tmp_path: Any) -> Callable[..., Any]:
    """`async with make_client(**settings) as http:` — an app on fake models with those settings."""

    def make(registry_factory: Any = None, **overrides: Any) -> Any:
        settings = Settings(cache_dir=tmp_path, **overrides)
        return running(create_app(settings, registry_factory or fake_registry_factory()))

    return make


@pytest.fixture
async def http(make_client: AppClient) -> AsyncIterator[httpx2.AsyncClient]:
    async with make_client() as client:
        yield client
