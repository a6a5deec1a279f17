"""The admin API, in OpenAI's shapes: projects (accounts), their API keys and rate limits, the Usage
API for audio and the Costs API. Guarded by AURICLE_ADMIN_KEYS; mounted only when some are set."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from auricle.accounts import buckets, keys
from auricle.accounts.metering_view import MeteringView
from auricle.accounts.prices import MICROS
from auricle.api.auth import ApiKeys
from auricle.errors import InvalidRequest
from auricle.formats import organization


async def require_admin_key(request: Request) -> None:
    admin: ApiKeys = request.app.state.admin_keys
    admin.check(request.headers.get("authorization"))


router = APIRouter(prefix="/organization", tags=["admin"], dependencies=[Depends(require_admin_key)])


def _view(request: Request) -> MeteringView:
    return MeteringView(request.app.state.metering.store)


View = Annotated[MeteringView, Depends(_view)]


class NewProject(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    balance: float | None = Field(default=None, ge=0, description="Auricle: a prepaid balance")
    monthly_audio_seconds: int | None = Field(default=None, ge=0)


class NewKey(BaseModel):
    name: str = Field(default="key", min_length=1, max_length=200)
    max_requests_per_1_minute: int | None = Field(default=None, ge=1)
    max_concurrent_requests: int | None = Field(default=None, ge=1)
    monthly_audio_seconds: int | None = Field(default=None, ge=0)
    spend_limit: float | None = Field(default=None, ge=0)
    expires_in_seconds: int | None = Field(default=None, ge=1)


class Credit(BaseModel):
    amount: float
    note: str | None = Field(default=None, max_length=200)


@router.get("/projects")
async def list_projects(view: View) -> dict[str, Any]:
    rows = await asyncio.to_thread(keys.list_accounts, view.store)
    return organization.listing([organization.project(row) for row in rows])


@router.post("/projects")
async def create_project(view: View, body: NewProject) -> dict[str, Any]:
    balance = None if body.balance is None else round(body.balance * MICROS)
    account_id = await asyncio.to_thread(
        keys.create_account,
        view.store,
        body.name,
        balance_micros=balance,
        monthly_audio_seconds=body.monthly_audio_seconds,
    )
    return organization.project(await view.account(account_id))


@router.get("/projects/{project_id}")
async def get_project(view: View, project_id: str) -> dict[str, Any]:
    return organization.project(await view.account(project_id))


@router.get("/projects/{project_id}/api_keys")
async def list_project_keys(view: View, project_id: str) -> dict[str, Any]:
    await view.account(project_id)
    rows = await asyncio.to_thread(keys.list_keys, view.store, project_id)
    return organization.listing([organization.api_key(row) for row in rows if row["source"] == "managed"])


@router.post("/projects/{project_id}/api_keys")
async def create_project_key(view: View, project_id: str, body: NewKey) -> dict[str, Any]:
    """Auricle's extension (OpenAI mints project keys through service accounts): `value` is shown once."""
    await view.account(project_id)
    limits = keys.Limits(
        rpm=body.max_requests_per_1_minute,
        max_concurrent=body.max_concurrent_requests,
        monthly_audio_seconds=body.monthly_audio_seconds,
        spend_limit_micros=None if body.spend_limit is None else round(body.spend_limit * MICROS),
        expires_at=None if body.expires_in_seconds is None else time.time() + body.expires_in_seconds,
    )
    key_id, value = await asyncio.to_thread(keys.create_key, view.store, project_id, body.name, limits)
    return {**organization.api_key(await view.key(project_id, key_id)), "value": value}


@router.get("/projects/{project_id}/api_keys/{key_id}")
async def get_project_key(view: View, project_id: str, key_id: str) -> dict[str, Any]:
    return organization.api_key(await view.key(project_id, key_id))


@router.delete("/projects/{project_id}/api_keys/{key_id}")
async def delete_project_key(view: View, project_id: str, key_id: str) -> dict[str, Any]:
    await view.key(project_id, key_id)
    await asyncio.to_thread(keys.revoke, view.store, key_id)
    return {"object": "organization.project.api_key.deleted", "id": key_id, "deleted": True}


@router.get("/projects/{project_id}/rate_limits")
async def list_rate_limits(view: View, project_id: str, request: Request) -> dict[str, Any]:
    """Each key's requests-per-minute, once per served model (OpenAI's limits are per model)."""
    await view.account(project_id)
    rows = await asyncio.to_thread(keys.list_keys, view.store, project_id)
    models = request.app.state.settings.models
    return organization.listing(
        [organization.rate_limit(row, model) for row in rows if row["rpm"] for model in models]
    )


@router.post("/projects/{project_id}/credits")
async def add_credit(view: View, project_id: str, body: Credit) -> dict[str, Any]:
    """Auricle's extension: a top-up (or, negative, an adjustment) of a prepaid balance."""
    await view.account(project_id)
    amount = round(body.amount * MICROS)
    balance = await asyncio.to_thread(keys.top_up, view.store, project_id, amount, body.note)
    return {"object": "organization.project.credit", "project_id": project_id, "balance": balance / MICROS}


class SpendLimit(BaseModel):
    threshold_amount: float = Field(ge=0)
    interval: Literal["month"] = "month"


@router.get("/projects/{project_id}/spend_limit")
async def get_spend_limit(view: View, project_id: str, request: Request) -> dict[str, Any]:
    return organization.spend_limit(await view.account(project_id), request.app.state.settings.currency)


@router.post("/projects/{project_id}/spend_limit")
async def set_spend_limit(view: View, project_id: str, body: SpendLimit, request: Request) -> dict[str, Any]:
    """A monthly cap on the project's spend: an admission that would pass it is refused (429
    `insufficient_quota`), as OpenAI enforces a project's limit."""
    await view.account(project_id)
    await asyncio.to_thread(
        keys.set_spend_limit, view.store, project_id, round(body.threshold_amount * MICROS)
    )
    return organization.spend_limit(await view.account(project_id), request.app.state.settings.currency)


@router.delete("/projects/{project_id}/spend_limit")
async def delete_spend_limit(view: View, project_id: str, request: Request) -> dict[str, Any]:
    await view.account(project_id)
    await asyncio.to_thread(keys.set_spend_limit, view.store, project_id, None)
    return organization.spend_limit(await view.account(project_id), request.app.state.settings.currency)


@router.get("/usage/audio_transcriptions")
async def usage_audio_transcriptions(view: View, request: Request) -> dict[str, Any]:
    return await _page(view, request, "audio_transcriptions", buckets.TRANSCRIPTION_ENDPOINTS)


@router.get("/usage/audio_speeches")
async def usage_audio_speeches(view: View, request: Request) -> dict[str, Any]:
    return await _page(view, request, "audio_speeches", frozenset({"speech"}))


@router.get("/costs")
async def costs(view: View, request: Request) -> dict[str, Any]:
    return await _page(view, request, "costs", None)


async def _page(view: View, request: Request, kind: str, endpoints: frozenset[str] | None) -> dict[str, Any]:
    query = request.query_params
    allowed = (
        {"project_id", "api_key_id", "line_item"}
        if kind == "costs"
        else {"project_id", "user_id", "api_key_id", "model"}
    )
    group_by = tuple(
        name for name in [*query.getlist("group_by"), *query.getlist("group_by[]")] if name != "user_id"
    )
    if unknown := set(group_by) - allowed:
        raise InvalidRequest(
            f"group_by {sorted(unknown)[0]!r} is not one of {sorted(allowed)}", param="group_by"
        )
    width = query.get("bucket_width", "1d")
    if width not in buckets.WIDTHS or (kind == "costs" and width != "1d"):
        raise InvalidRequest(f"bucket_width {width!r} is not supported", param="bucket_width")
    window = buckets.window(
        _int(query.get("page") or query.get("start_time"), "start_time"),
        _int(query["end_time"], "end_time") if "end_time" in query else None,
        width,
        _int(query["limit"], "limit") if "limit" in query else None,
    )
    found, more = await asyncio.to_thread(buckets.buckets, view.store, window, group_by, endpoints)
    currency = request.app.state.settings.currency
    return organization.usage_page(found, group_by, kind, more, currency)


def _int(value: str | None, name: str) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidRequest(f"{name} must be an integer (Unix seconds)", param=name) from None
