"""Both databases: SQLite always, PostgreSQL from Debian's package started by the tests themselves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from auricle.accounts.store import Store
from tests.support.postgres import pg_bin, postgres_server


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if pg_bin() is None:
        pytest.skip("no PostgreSQL binaries (apt-get install postgresql; scripts/test does)")
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'auricle.db'}"
        return
    server: str = request.getfixturevalue("postgres_url")
    name = f"t_{abs(hash(request.node.nodeid)) % 10**12}"
    admin = create_engine(server.replace("/auricle?", "/postgres?"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    yield server.replace("/auricle?", f"/{name}?")


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store(database_url)
    store.migrate()
    yield store
    store.close()
