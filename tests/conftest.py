"""Shared fixtures: real audio, the real models behind the real app, the `openai` SDK, a live server."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx2
import openai
import pytest
from fastapi import FastAPI

from auricle.api.app import create_app
from auricle.config import Settings
from tests.support.server import serve

REPO = Path(__file__).resolve().parents[1]
AUDIO_DIR = Path(os.environ.get("AURICLE_TEST_AUDIO", REPO.parent / "shared" / "audio"))
LIBRIVOX_DIR = Path("/usr/share/pocketsphinx/test/data/librivox")
JFK_TEXT = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)


FIGURES = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[FIGURES] = []
    # The suite must not depend on the environment of whoever runs it.
    for name in [name for name in os.environ if name.startswith("AURICLE_") and name != "AURICLE_TEST_AUDIO"]:
        del os.environ[name]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """The figures tests measured (WER, load, memory), at the end of every run and so in the CI log."""
    if config.stash[FIGURES]:
        terminalreporter.section("figures measured by this run")
        for line in config.stash[FIGURES]:
            terminalreporter.write_line(line)


@pytest.fixture
def record_figure(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Report a measured figure; reported, never asserted as a timing."""
    return request.config.stash[FIGURES].append


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    # Session scope lets the real app (and its loaded models) be shared by every async test.
    return "asyncio"


@pytest.fixture(scope="session")
def jfk() -> Path:
    return AUDIO_DIR / "jfk.flac"


@pytest.fixture(scope="session")
def jfk_flac(jfk: Path) -> bytes:
    return jfk.read_bytes()


@pytest.fixture(scope="session")
def multilingual() -> Path:
    return AUDIO_DIR / "multilingual.mp3"


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("auricle-cache")


@pytest.fixture(scope="session")
def real_settings(model_cache: Path) -> Settings:
    return Settings(cache_dir=model_cache)


@pytest.fixture(scope="session")
async def real_app(real_settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(real_settings)
    async with app.router.lifespan_context(app):
        yield app


async def _sdk(app: FastAPI) -> AsyncIterator[openai.AsyncOpenAI]:
    transport = httpx2.ASGITransport(app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://auricle.test") as http:
        yield openai.AsyncOpenAI(
            base_url="http://auricle.test/v1",
            api_key="not-needed",
            http_client=http,
            max_retries=0,
            _strict_response_validation=True,
        )


@pytest.fixture
async def sdk(real_app: FastAPI) -> AsyncIterator[openai.AsyncOpenAI]:
    """The official SDK, strict about response shapes, talking to the real app in-process."""
    async for client in _sdk(real_app):
        yield client


@pytest.fixture(scope="session")
def live_server(model_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`auricle serve` in its own process on 127.0.0.1, as a user starts it; yields its base URL."""
    with serve(tmp_path_factory.mktemp("server"), cache_dir=str(model_cache)) as server:
        yield server.base_url
        server.terminate()


@pytest.fixture(scope="session", autouse=True)
def _accounts_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every app (and server) of the run keeps its accounts database in one temporary directory, never
    in the data directory of whoever runs the tests. Through XDG_DATA_HOME, which the default data
    directory follows, so that no AURICLE_ setting looks set (a cluster sends the ones that are)."""
    before = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    yield
    if before is None:
        del os.environ["XDG_DATA_HOME"]
    else:
        os.environ["XDG_DATA_HOME"] = before
