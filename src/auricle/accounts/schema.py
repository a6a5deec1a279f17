"""The tables (SQLAlchemy Core). Money is integer micro-units of the currency, audio milliseconds, times
epoch seconds: the same DDL on SQLite and PostgreSQL, and no float drift in a balance."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table

metadata = MetaData()

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    # NULL: postpaid, no balance to run out of; a number: prepaid, in micro-units.
    Column("balance_micros", BigInteger, nullable=True),
    Column("held_micros", BigInteger, nullable=False, default=0),
    Column("monthly_audio_seconds", BigInteger, nullable=True),
    Column("monthly_spend_micros", BigInteger, nullable=True),
    Column("created_at", Float, nullable=False),
    Column("disabled_at", Float, nullable=True),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("account_id", String(40), ForeignKey("accounts.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("redacted", String(40), nullable=False),
    # `managed` (created by the CLI or the admin API) or `static` (AURICLE_API_KEYS).
    Column("source", String(10), nullable=False, default="managed"),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=True),
    Column("revoked_at", Float, nullable=True),
    Column("last_used_at", Float, nullable=True),
    Column("rpm", Integer, nullable=True),
    # GCRA's theoretical arrival time: the whole rate limiter is this one column.
    Column("rl_tat", Float, nullable=False, default=0.0),
    Column("max_concurrent", Integer, nullable=True),
    Column("monthly_audio_seconds", BigInteger, nullable=True),
    Column("spend_limit_micros", BigInteger, nullable=True),
    Column("spent_micros", BigInteger, nullable=False, default=0),
)

usage_events = Table(
    "usage_events",
    metadata,
    # Minted by the server per attempt, never the client's request id: a retry is a new row.
    Column("id", String(40), primary_key=True),
    Column("request_id", String(140), nullable=True),
    Column("key_id", String(40), nullable=False),
    Column("account_id", String(40), nullable=False),
    Column("endpoint", String(20), nullable=False),
    Column("model", String(64), nullable=False),
    Column("status", String(10), nullable=False),
    Column("audio_ms", BigInteger, nullable=False),
    Column("billed_ms", BigInteger, nullable=False),
    Column("characters", BigInteger, nullable=False),
    Column("cost_micros", BigInteger, nullable=False),
    Column("started_at", Float, nullable=False),
    Column("finished_at", Float, nullable=False),
    Index("ix_usage_events_key_finished", "key_id", "finished_at"),
    Index("ix_usage_events_account_finished", "account_id", "finished_at"),
)

usage_daily = Table(
    "usage_daily",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("account_id", String(40), primary_key=True),
    Column("key_id", String(40), primary_key=True),
    Column("model", String(64), primary_key=True),
    Column("endpoint", String(20), primary_key=True),
    Column("requests", BigInteger, nullable=False, default=0),
    Column("failed_requests", BigInteger, nullable=False, default=0),
    Column("cancelled_requests", BigInteger, nullable=False, default=0),
    Column("billed_ms", BigInteger, nullable=False, default=0),
    Column("characters", BigInteger, nullable=False, default=0),
    Column("cost_micros", BigInteger, nullable=False, default=0),
)

leases = Table(
    "leases",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("key_id", String(40), nullable=False),
    Column("account_id", String(40), nullable=False),
    Column("request_id", String(140), nullable=True),
    Column("endpoint", String(20), nullable=False),
    Column("model", String(64), nullable=False),
    Column("hold_micros", BigInteger, nullable=False, default=0),
    Column("hold_ms", BigInteger, nullable=False, default=0),
    Column("started_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Index("ix_leases_key", "key_id"),
    Index("ix_leases_account", "account_id"),
)

credits = Table(
    "credits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", String(40), ForeignKey("accounts.id"), nullable=False),
    Column("amount_micros", BigInteger, nullable=False),
    Column("note", String(200), nullable=True),
    Column("created_at", Float, nullable=False),
)
