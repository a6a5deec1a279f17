"""Accounts, keys, the usage ledger, daily rollups, leases and credits.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("balance_micros", sa.BigInteger, nullable=True),
        sa.Column("held_micros", sa.BigInteger, nullable=False),
        sa.Column("monthly_audio_seconds", sa.BigInteger, nullable=True),
        sa.Column("monthly_spend_micros", sa.BigInteger, nullable=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("disabled_at", sa.Float, nullable=True),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("account_id", sa.String(40), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("redacted", sa.String(40), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=True),
        sa.Column("revoked_at", sa.Float, nullable=True),
        sa.Column("last_used_at", sa.Float, nullable=True),
        sa.Column("rpm", sa.Integer, nullable=True),
        sa.Column("rl_tat", sa.Float, nullable=False),
        sa.Column("max_concurrent", sa.Integer, nullable=True),
        sa.Column("monthly_audio_seconds", sa.BigInteger, nullable=True),
        sa.Column("spend_limit_micros", sa.BigInteger, nullable=True),
        sa.Column("spent_micros", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "usage_events",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("request_id", sa.String(140), nullable=True),
        sa.Column("key_id", sa.String(40), nullable=False),
        sa.Column("account_id", sa.String(40), nullable=False),
        sa.Column("endpoint", sa.String(20), nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("audio_ms", sa.BigInteger, nullable=False),
        sa.Column("billed_ms", sa.BigInteger, nullable=False),
        sa.Column("characters", sa.BigInteger, nullable=False),
        sa.Column("cost_micros", sa.BigInteger, nullable=False),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("finished_at", sa.Float, nullable=False),
    )
    op.create_index("ix_usage_events_key_finished", "usage_events", ["key_id", "finished_at"])
    op.create_index("ix_usage_events_account_finished", "usage_events", ["account_id", "finished_at"])
    op.create_table(
        "usage_daily",
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("account_id", sa.String(40), primary_key=True),
        sa.Column("key_id", sa.String(40), primary_key=True),
        sa.Column("model", sa.String(64), primary_key=True),
        sa.Column("endpoint", sa.String(20), primary_key=True),
        sa.Column("requests", sa.BigInteger, nullable=False),
        sa.Column("failed_requests", sa.BigInteger, nullable=False),
        sa.Column("cancelled_requests", sa.BigInteger, nullable=False),
        sa.Column("billed_ms", sa.BigInteger, nullable=False),
        sa.Column("characters", sa.BigInteger, nullable=False),
        sa.Column("cost_micros", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "leases",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("key_id", sa.String(40), nullable=False),
        sa.Column("account_id", sa.String(40), nullable=False),
        sa.Column("request_id", sa.String(140), nullable=True),
        sa.Column("endpoint", sa.String(20), nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("hold_micros", sa.BigInteger, nullable=False),
        sa.Column("hold_ms", sa.BigInteger, nullable=False),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
    )
    op.create_index("ix_leases_key", "leases", ["key_id"])
    op.create_index("ix_leases_account", "leases", ["account_id"])
    op.create_table(
        "credits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(40), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("amount_micros", sa.BigInteger, nullable=False),
        sa.Column("note", sa.String(200), nullable=True),
        sa.Column("created_at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    for table in ("credits", "leases", "usage_daily", "usage_events", "api_keys", "accounts"):
        op.drop_table(table)
