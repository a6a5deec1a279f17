"""OpenAI's admin shapes (projects, project API keys, rate limits, Usage and Costs pages) and the
balance shapes chat front-ends read (CometAPI's `/user/quota`, one-api's `dashboard/billing`)."""

from __future__ import annotations

from typing import Any

from auricle.accounts.buckets import Bucket
from auricle.accounts.prices import MICROS


def project(row: dict[str, Any]) -> dict[str, Any]:
    archived = row["disabled_at"]
    return {
        "id": row["id"],
        "object": "organization.project",
        "name": row["name"],
        "created_at": int(row["created_at"]),
        "archived_at": int(archived) if archived is not None else None,
        "status": "archived" if archived is not None else "active",
    }


def api_key(row: dict[str, Any]) -> dict[str, Any]:
    last_used = row["last_used_at"]
    return {
        "object": "organization.project.api_key",
        "redacted_value": row["redacted"],
        "name": row["name"],
        "created_at": int(row["created_at"]),
        "last_used_at": int(last_used) if last_used is not None else None,
        "id": row["id"],
        "owner_project_access": "inactive" if row["revoked_at"] is not None else "active",
        "owner": {
            "type": "service_account",
            "service_account": {
                "id": f"svc_{row['id']}",
                "name": row["name"],
                "created_at": int(row["created_at"]),
                "role": "member",
            },
        },
    }


def rate_limit(row: dict[str, Any], model: str) -> dict[str, Any]:
    """A key's rpm as OpenAI's per-model `project.rate_limit` (Auricle limits requests, not tokens)."""
    return {
        "object": "project.rate_limit",
        "id": f"rl_{row['id']}_{model}",
        "model": model,
        "max_requests_per_1_minute": row["rpm"] or 0,
        "max_tokens_per_1_minute": 0,
    }


def listing(items: list[dict[str, Any]], key: str = "id") -> dict[str, Any]:
    return {
        "object": "list",
        "data": items,
        "first_id": items[0][key] if items else None,
        "last_id": items[-1][key] if items else None,
        "has_more": False,
    }


def usage_page(
    buckets: list[Bucket], group_by: tuple[str, ...], kind: str, more: bool, currency: str = "usd"
) -> dict[str, Any]:
    """`kind`: `audio_transcriptions`, `audio_speeches` or `costs`."""
    data = [
        {
            "object": "bucket",
            "start_time": start,
            "end_time": end,
            "results": [
                _result(kind, dict(zip(group_by, values, strict=True)), totals, currency)
                for values, totals in sums.items()
            ],
        }
        for start, end, sums in buckets
    ]
    return {
        "object": "page",
        "data": data,
        "has_more": more,
        "next_page": str(buckets[-1][1]) if more else None,
    }


def _result(kind: str, groups: dict[str, str | None], totals: Any, currency: str) -> dict[str, Any]:
    if kind == "costs":
        speech = (groups.get("line_item") or "").endswith(", speech")
        grouped_by_item = "line_item" in groups
        return {
            "object": "organization.costs.result",
            "amount": {"value": totals.cost_micros / MICROS, "currency": currency},
            "line_item": groups.get("line_item"),
            "project_id": groups.get("project_id"),
            "api_key_id": groups.get("api_key_id"),
            "quantity": (totals.characters if speech else round(totals.billed_ms / 1000))
            if grouped_by_item
            else None,
            "quantity_unit": ("characters" if speech else "duration_seconds") if grouped_by_item else None,
        }
    measure = (
        {"characters": totals.characters}
        if kind == "audio_speeches"
        else {"seconds": round(totals.billed_ms / 1000)}
    )
    return {
        "object": f"organization.usage.{kind}.result",
        **measure,
        "num_model_requests": totals.requests,
        "project_id": groups.get("project_id"),
        "user_id": None,
        "api_key_id": groups.get("api_key_id"),
        "model": groups.get("model"),
    }


def user_quota(account: dict[str, Any], keys: list[dict[str, Any]], used: dict[str, int]) -> dict[str, Any]:
    """CometAPI's balance answer: money in the currency; -1 where there is no limit."""
    balance = account["balance_micros"]
    return {
        "username": account["name"],
        "total_quota": balance / MICROS if balance is not None else -1,
        "total_used_quota": used["cost_micros"] / MICROS,
        "request_count": used["requests"],
        "audio_seconds_used": round(used["billed_ms"] / 1000),
        "keys": [
            {
                "name": key["name"],
                "remain_quota": (key["spend_limit_micros"] - key["spent_micros"]) / MICROS
                if key["spend_limit_micros"] is not None
                else -1,
                "used_quota": key["spent_micros"] / MICROS,
            }
            for key in keys
        ],
    }


def daily_quota(days: list[dict[str, Any]], names: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """CometAPI's `daily_quota`: per day, per key, the money used and the requests; plus Auricle's
    `audio_seconds`."""
    answer: dict[str, list[dict[str, Any]]] = {}
    for row in days:
        answer.setdefault(row["day"], []).append(
            {
                "token_name": names.get(row["key_id"], row["key_id"]),
                "quota_used": row["cost_micros"] / MICROS,
                "request_count": row["requests"] + row["cancelled_requests"],
                "audio_seconds": round(row["billed_ms"] / 1000),
            }
        )
    return answer


def billing_subscription(account: dict[str, Any], used_micros: int) -> dict[str, Any]:
    """one-api's `GET /v1/dashboard/billing/subscription`: the limit a front-end shows, in USD."""
    balance = account["balance_micros"]
    limit = (balance + account["held_micros"] + used_micros) / MICROS if balance is not None else 0.0
    return {
        "object": "billing_subscription",
        "has_payment_method": True,
        "soft_limit_usd": limit,
        "hard_limit_usd": limit,
        "system_hard_limit_usd": limit,
        "access_until": 0,
    }


def billing_usage(used_micros: int) -> dict[str, Any]:
    """one-api's `GET /v1/dashboard/billing/usage`: `total_usage` in cents."""
    return {"object": "list", "total_usage": used_micros / 10_000}


def spend_limit(row: dict[str, Any], currency: str) -> dict[str, Any]:
    """A project's monthly spend cap in the shape of OpenAI's `project.spend_limit`."""
    cap = row["monthly_spend_micros"]
    return {
        "object": "project.spend_limit",
        "project_id": row["id"],
        "threshold_amount": None if cap is None else cap / 1_000_000,
        "currency": currency.upper(),
        "interval": "month",
        "enforcement": {"status": "enforcing" if cap is not None else "disabled"},
    }
