"""Alembic's environment: run on the connection `Store.migrate` passes in (there is no alembic.ini)."""

from __future__ import annotations

from alembic import context

from auricle.accounts.schema import metadata

connection = context.config.attributes["connection"]
# SQLite cannot ALTER most things in place: batch mode copies the table, as Alembic's docs advise.
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
