"""Accounts and keys: created, listed, revoked and looked up, each a statement on the store.

A key is `sk-` and 256 random bits, shown once and kept as its SHA-256: a fast digest is enough for a
random key (argon2id at its defaults took 248 ms per check here, notes §5).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from auricle.accounts.errors import KeyRefused
from auricle.accounts.schema import accounts, api_keys, credits
from auricle.accounts.store import Store

STATIC_ACCOUNT = "proj_static"
"""The built-in account that meters the keys of AURICLE_API_KEYS."""


@dataclass(frozen=True)
class Principal:
    """Who a request is from: the key's id and its account's."""

    key_id: str
    account_id: str


@dataclass(frozen=True)
class Limits:
    rpm: int | None = None
    max_concurrent: int | None = None
    monthly_audio_seconds: int | None = None
    spend_limit_micros: int | None = None
    expires_at: float | None = None


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def redact(key: str) -> str:
    return f"{key[:3]}...{key[-4:]}"


def mask(key: str) -> str:
    """OpenAI's style in a 401, as `api/auth.py` masks static keys: recognisable, never usable."""
    if len(key) < 12:
        return "*" * len(key)
    return f"{key[:3]}{'*' * (len(key) - 7)}{key[-4:]}"


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def create_account(
    store: Store,
    name: str,
    *,
    account_id: str | None = None,
    balance_micros: int | None = None,
    monthly_audio_seconds: int | None = None,
    monthly_spend_micros: int | None = None,
) -> str:
    """A new account; a `balance_micros` makes it prepaid, recorded as its first credit."""
    account_id = account_id or new_id("proj")
    now = time.time()
    with store.transaction() as conn:
        conn.execute(
            accounts.insert().values(
                id=account_id,
                name=name,
                balance_micros=balance_micros,
                held_micros=0,
                monthly_audio_seconds=monthly_audio_seconds,
                monthly_spend_micros=monthly_spend_micros,
                created_at=now,
            )
        )
        if balance_micros is not None:
            conn.execute(
                credits.insert().values(
                    account_id=account_id,
                    amount_micros=balance_micros,
                    note="opening balance",
                    created_at=now,
                )
            )
    return account_id


def top_up(store: Store, account_id: str, amount_micros: int, note: str | None = None) -> int:
    """Adds to a prepaid account's balance (a postpaid one becomes prepaid); the new balance."""
    with store.transaction() as conn:
        row = store.lock(conn, accounts, account_id)
        if row is None:
            raise LookupError(f"no account {account_id}")
        balance = (row["balance_micros"] or 0) + amount_micros
        conn.execute(update(accounts).where(accounts.c.id == account_id).values(balance_micros=balance))
        conn.execute(
            credits.insert().values(
                account_id=account_id, amount_micros=amount_micros, note=note, created_at=time.time()
            )
        )
    return balance


def create_key(store: Store, account_id: str, name: str, limits: Limits = Limits()) -> tuple[str, str]:
    """A new key on `account_id`: its id and its value, which is never stored and never shown again."""
    value = "sk-" + secrets.token_urlsafe(32)
    key_id = new_id("key")
    with store.transaction() as conn:
        if conn.execute(select(accounts.c.id).where(accounts.c.id == account_id)).first() is None:
            raise LookupError(f"no account {account_id}")
        conn.execute(api_keys.insert().values(_key_row(key_id, account_id, name, value, limits)))
    return key_id, value


def _key_row(key_id: str, account_id: str, name: str, value: str, limits: Limits) -> dict[str, Any]:
    return {
        "id": key_id,
        "account_id": account_id,
        "name": name,
        "digest": digest(value),
        "redacted": redact(value),
        "source": "managed",
        "created_at": time.time(),
        "expires_at": limits.expires_at,
        "rpm": limits.rpm,
        "rl_tat": 0.0,
        "max_concurrent": limits.max_concurrent,
        "monthly_audio_seconds": limits.monthly_audio_seconds,
        "spend_limit_micros": limits.spend_limit_micros,
        "spent_micros": 0,
    }


def revoke(store: Store, key_id: str) -> bool:
    """Revokes a key (its row stays, for the usage it has); False when there is no such live key."""
    with store.transaction() as conn:
        result = conn.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=time.time())
        )
    return bool(result.rowcount)


def ensure_static_keys(store: Store, keys: list[str]) -> None:
    """Rows for the keys of AURICLE_API_KEYS, under the built-in account, so their use is metered."""
    if not keys:
        return
    with store.transaction() as conn:
        insert = store.insert(accounts).values(
            id=STATIC_ACCOUNT, name="AURICLE_API_KEYS", held_micros=0, created_at=time.time()
        )
        conn.execute(insert.on_conflict_do_nothing())
        for key in keys:
            row = {
                **_key_row(static_key_id(key), STATIC_ACCOUNT, "static", key, Limits()),
                "source": "static",
            }
            conn.execute(store.insert(api_keys).values(row).on_conflict_do_nothing())


def static_key_id(key: str) -> str:
    return f"key_static_{digest(key)[:12]}"


def authenticate(store: Store, key: str, static_digests: frozenset[str]) -> Principal:
    """The key's principal, read afresh from the store: a revoked or expired key is refused at once.

    A static key counts only while it is still in the settings, so removing it there ends it.
    """
    found = digest(key)
    with store.reading() as conn:
        row = _live_key(conn, found)
    if row is None or (row["source"] == "static" and found not in static_digests):
        raise KeyRefused(
            f"Incorrect API key provided: {mask(key)}. Ask the operator of this Auricle server for a key.",
            code="invalid_api_key",
        )
    return Principal(row["id"], row["account_id"])


def _live_key(conn: Connection, found: str) -> Any:
    now = time.time()
    query = (
        select(api_keys.c.id, api_keys.c.account_id, api_keys.c.source, api_keys.c.expires_at)
        .join(accounts, accounts.c.id == api_keys.c.account_id)
        .where(api_keys.c.digest == found, api_keys.c.revoked_at.is_(None), accounts.c.disabled_at.is_(None))
    )
    row = conn.execute(query).mappings().first()
    if row is None or (row["expires_at"] is not None and row["expires_at"] <= now):
        return None
    return row


def any_managed_key(store: Store) -> bool:
    """Whether a key was ever created in the store: then /v1 asks every request for one. Revoked keys
    count too, or revoking the last key would open the server to anyone."""
    with store.reading() as conn:
        query = select(api_keys.c.id).where(api_keys.c.source == "managed")
        return conn.execute(query.limit(1)).first() is not None


def list_keys(store: Store, account_id: str | None = None) -> list[dict[str, Any]]:
    query = select(api_keys).order_by(api_keys.c.created_at)
    if account_id is not None:
        query = query.where(api_keys.c.account_id == account_id)
    with store.transaction() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def list_accounts(store: Store) -> list[dict[str, Any]]:
    with store.transaction() as conn:
        return [
            dict(row) for row in conn.execute(select(accounts).order_by(accounts.c.created_at)).mappings()
        ]


def get_account(store: Store, account_id: str) -> dict[str, Any] | None:
    with store.transaction() as conn:
        row = conn.execute(select(accounts).where(accounts.c.id == account_id)).mappings().first()
    return dict(row) if row is not None else None


def set_spend_limit(store: Store, account_id: str, limit_micros: int | None) -> None:
    """The account's monthly spend cap (None: none), checked by every admission from the next one on."""
    with store.transaction() as conn:
        if store.lock(conn, accounts, account_id) is None:
            raise LookupError(f"no account {account_id}")
        conn.execute(
            update(accounts).where(accounts.c.id == account_id).values(monthly_spend_micros=limit_micros)
        )
