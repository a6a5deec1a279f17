"""The database: one SQLAlchemy engine, each unit of work one short transaction, migrated at start-up.

SQLite runs in WAL mode and opens every transaction with `BEGIN IMMEDIATE`: with a deferred `BEGIN`,
two processes that read and then write lost 3 of their 4 threads to "database is locked" within a
second (notes/accounts-and-usage.md §6). PostgreSQL takes the same statements, with row locks.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Insert, Table, bindparam, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from auricle.accounts.errors import StoreUnavailable

MIGRATIONS = Path(__file__).parent / "migrations"
_SQLITE_BUSY_MS = 30_000


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class Store:
    """The engine, and the dialect-specific bits every query needs."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._locks: dict[str, Any] = {}

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One all-or-nothing transaction; a store that cannot be reached is `StoreUnavailable`."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as error:
            raise StoreUnavailable from error

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only transaction: on SQLite a deferred `BEGIN`, which WAL lets run beside a writer."""
        try:
            with self.engine.connect() as plain:
                conn = plain.execution_options(auricle_read_only=True)
                with conn.begin():
                    yield conn
        except SQLAlchemyError as error:
            raise StoreUnavailable from error

    def insert(self, table: Table) -> Any:
        """An INSERT that can take `on_conflict_do_nothing` / `_do_update` on either database."""
        dialect: Any = sqlite if self.is_sqlite else postgresql
        statement: Insert = dialect.insert(table)
        return statement

    def lock(self, conn: Connection, table: Table, row_id: str) -> Any:
        """Reads a row and holds it until the transaction ends (SQLite's `BEGIN IMMEDIATE` holds all)."""
        # Built once per table: building the SELECT on every call cost about as much as running it.
        if (query := self._locks.get(table.name)) is None:
            query = table.select().where(table.c.id == bindparam("row_id"))
            query = self._locks[table.name] = query if self.is_sqlite else query.with_for_update()
        return conn.execute(query, {"row_id": row_id}).mappings().first()

    def migrate(self) -> None:
        """Brings the schema to the newest revision (a fresh file is created here)."""
        from alembic import command

        # Alembic says which plugins it set up on every start, at INFO; only its warnings are news.
        logging.getLogger("alembic").setLevel(logging.WARNING)
        config = _alembic_config()
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                # Several replicas may start together; one migrates, the others then find it done.
                conn.execute(text("SELECT pg_advisory_xact_lock(3202)"))
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": _SQLITE_BUSY_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # The recipe of SQLAlchemy's SQLite dialect docs: let SQLAlchemy, not pysqlite, begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        read_only = conn.get_execution_options().get("auricle_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


@functools.cache
def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config
