"""A key holder's own balance: CometAPI's `GET /user/quota` (Bearer, or `?key=` as its page shows,
which puts the key in logs: prefer the header) and the `dashboard/billing` pair chat front-ends read."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request

from auricle.accounts import keys, reports
from auricle.accounts.keys import Principal
from auricle.accounts.metering_view import MeteringView
from auricle.api.auth import MISSING_KEY_MESSAGE, Unauthorized
from auricle.api.metering import Metering
from auricle.errors import InvalidRequest
from auricle.formats import organization

# Conventions of other gateways, not OpenAI's API: left out of the OpenAPI document (README lists them).
quota_router = APIRouter(tags=["billing"], include_in_schema=False)
billing_router = APIRouter(prefix="/dashboard/billing", tags=["billing"], include_in_schema=False)


@quota_router.get("/user/quota")
async def user_quota(request: Request) -> dict[str, Any]:
    metering: Metering = request.app.state.metering
    key = request.query_params.get("key")
    authorization = f"Bearer {key}" if key else request.headers.get("authorization")
    principal = await asyncio.to_thread(metering.authenticate, authorization)
    account, used = await _account_and_use(request, principal)
    rows = await asyncio.to_thread(keys.list_keys, metering.store, account["id"])
    live = [row for row in rows if row["revoked_at"] is None]
    answer = organization.user_quota(account, live, used)
    if "start_date" in request.query_params or "end_date" in request.query_params:
        since, until = _dates(request)
        days = await asyncio.to_thread(
            reports.daily,
            metering.store,
            account_id=account["id"],
            since=since,
            until=until,
            group=("key_id",),
        )
        answer["daily_quota"] = organization.daily_quota(days, {row["id"]: row["name"] for row in rows})
    return answer


def _dates(request: Request) -> tuple[str | None, str | None]:
    """CometAPI's `start_date` and `end_date` (YYYY-MM-DD, both included)."""
    bounds = []
    for name in ("start_date", "end_date"):
        value = request.query_params.get(name)
        try:
            bounds.append(None if value is None else date.fromisoformat(value))
        except ValueError:
            raise InvalidRequest(f"{name} must be a date, YYYY-MM-DD", param=name) from None
    since, last = bounds
    return (since.isoformat() if since else None, (last + timedelta(days=1)).isoformat() if last else None)


@billing_router.get("/subscription")
async def subscription(request: Request) -> dict[str, Any]:
    account, used = await _account_and_use(request, getattr(request.state, "principal", None))
    return organization.billing_subscription(account, used["cost_micros"])


@billing_router.get("/usage")
async def usage(request: Request) -> dict[str, Any]:
    _, used = await _account_and_use(request, getattr(request.state, "principal", None))
    return organization.billing_usage(used["cost_micros"])


async def _account_and_use(
    request: Request, principal: Principal | None
) -> tuple[dict[str, Any], dict[str, int]]:
    if principal is None:
        raise Unauthorized(MISSING_KEY_MESSAGE)
    metering: Metering = request.app.state.metering
    account = await MeteringView(metering.store).account(principal.account_id)
    used = await asyncio.to_thread(reports.totals, metering.store, account_id=principal.account_id)
    return account, used
