"""Reads for the admin and balance surfaces, each raising `NotFound` for what does not exist."""

from __future__ import annotations

import asyncio
from typing import Any

from auricle.accounts import keys
from auricle.accounts.store import Store
from auricle.errors import NotFound


class MeteringView:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def account(self, account_id: str) -> dict[str, Any]:
        row = await asyncio.to_thread(keys.get_account, self.store, account_id)
        if row is None:
            raise NotFound(f"No project with id {account_id!r}.", param="project_id")
        return row

    async def key(self, account_id: str, key_id: str) -> dict[str, Any]:
        rows = await asyncio.to_thread(keys.list_keys, self.store, account_id)
        for row in rows:
            if row["id"] == key_id:
                return row
        raise NotFound(f"No API key with id {key_id!r} in project {account_id!r}.", param="api_key_id")
