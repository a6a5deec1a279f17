"""The admin API and the balance query, every body checked against OpenAI's OpenAPI document where it
has the shape; usage reported there is what the requests before it were billed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.api.test_metering import client, metered_app, post
from tests.support.openapi import validate

pytestmark = pytest.mark.anyio
ADMIN = {"authorization": "Bearer admin-key-0123456789"}


async def test_projects_keys_usage_and_costs_in_openais_shapes(tmp_path: Path) -> None:
    async with metered_app(tmp_path, admin_keys=["admin-key-0123456789"]) as app, client(app) as http:
        assert (await http.get("/v1/organization/projects")).status_code == 401
        created = await http.post(
            "/v1/organization/projects", json={"name": "acme", "balance": 1.0}, headers=ADMIN
        )
        project = created.json()
        validate(project, "Project")
        validate((await http.get("/v1/organization/projects", headers=ADMIN)).json(), "ProjectListResponse")
        made = await http.post(
            f"/v1/organization/projects/{project['id']}/api_keys",
            json={"name": "ci", "max_requests_per_1_minute": 30},
            headers=ADMIN,
        )
        key = made.json()
        validate(key, "ProjectApiKey")
        assert key["value"].startswith("sk-")
        keys_url = f"/v1/organization/projects/{project['id']}/api_keys"
        validate((await http.get(keys_url, headers=ADMIN)).json(), "ProjectApiKeyListResponse")
        limits = (
            await http.get(f"/v1/organization/projects/{project['id']}/rate_limits", headers=ADMIN)
        ).json()
        validate(limits, "ProjectRateLimitListResponse")
        assert limits["data"][0]["max_requests_per_1_minute"] == 30

        start = int(time.time()) - 10
        for seconds in (2.0, 3.0):
            assert (await post(http, key["value"], seconds=seconds)).status_code == 200

        usage = await http.get(
            "/v1/organization/usage/audio_transcriptions",
            params={"start_time": start, "bucket_width": "1h", "group_by": ["api_key_id", "model"]},
            headers=ADMIN,
        )
        validate(usage.json(), "UsageResponse")
        [result] = usage.json()["data"][0]["results"]
        assert (result["seconds"], result["num_model_requests"], result["api_key_id"]) == (5, 2, key["id"])
        costs = await http.get(
            "/v1/organization/costs", params={"start_time": start, "group_by": "line_item"}, headers=ADMIN
        )
        validate(costs.json(), "UsageResponse")
        [cost] = costs.json()["data"][0]["results"]
        assert (cost["amount"], cost["line_item"], cost["quantity"]) == (
            {"value": 0.005, "currency": "usd"},
            "base, transcriptions",
            5,
        )
        speeches = await http.get(
            "/v1/organization/usage/audio_speeches", params={"start_time": start}, headers=ADMIN
        )
        validate(speeches.json(), "UsageResponse")

        quota = (await http.get("/user/quota", params={"key": key["value"]})).json()
        assert quota["username"] == "acme"
        assert (quota["total_quota"], quota["total_used_quota"], quota["request_count"]) == (0.995, 0.005, 2)
        bearer = {"authorization": f"Bearer {key['value']}"}
        assert (await http.get("/user/quota", headers=bearer)).json() == quota
        today = time.strftime("%Y-%m-%d", time.gmtime())
        daily = (
            await http.get("/user/quota", params={"start_date": today, "end_date": today}, headers=bearer)
        ).json()
        [day] = daily["daily_quota"][today]
        assert (day["token_name"], day["request_count"], day["audio_seconds"], day["quota_used"]) == (
            "ci",
            2,
            5,
            0.005,
        )
        subscription = (await http.get("/v1/dashboard/billing/subscription", headers=bearer)).json()
        assert subscription["hard_limit_usd"] == 1.0
        assert (await http.get("/v1/dashboard/billing/usage", headers=bearer)).json()["total_usage"] == 0.5

        deleted = await http.delete(f"{keys_url}/{key['id']}", headers=ADMIN)
        validate(deleted.json(), "ProjectApiKeyDeleteResponse")
        assert (await post(http, key["value"])).status_code == 401


async def test_bad_report_parameters_are_400s(tmp_path: Path) -> None:
    async with metered_app(tmp_path, admin_keys=["admin-key-0123456789"]) as app, client(app) as http:
        url = "/v1/organization/usage/audio_transcriptions"
        assert (await http.get(url, headers=ADMIN)).status_code == 400
        bad = await http.get(url, params={"start_time": 0, "group_by": "colour"}, headers=ADMIN)
        assert (bad.status_code, bad.json()["error"]["param"]) == (400, "group_by")
        assert (await http.get("/v1/organization/projects/proj_nope", headers=ADMIN)).status_code == 404


async def test_a_project_spend_limit_is_set_read_enforced_and_removed(tmp_path: Path) -> None:
    async with metered_app(tmp_path, admin_keys=["admin-key-0123456789"]) as app, client(app) as http:
        project = (await http.post("/v1/organization/projects", json={"name": "acme"}, headers=ADMIN)).json()
        url = f"/v1/organization/projects/{project['id']}/spend_limit"
        assert (await http.get(url, headers=ADMIN)).json()["enforcement"] == {"status": "disabled"}
        # PRICES bills 0.001 a second: 2 s of audio costs 0.002, more than the cap.
        limit = (await http.post(url, json={"threshold_amount": 0.001}, headers=ADMIN)).json()
        assert limit == {
            "object": "project.spend_limit",
            "project_id": project["id"],
            "threshold_amount": 0.001,
            "currency": "USD",
            "interval": "month",
            "enforcement": {"status": "enforcing"},
        }
        made = await http.post(f"/v1/organization/projects/{project['id']}/api_keys", json={}, headers=ADMIN)
        key = made.json()["value"]
        refused = await post(http, key)
        assert (refused.status_code, refused.json()["error"]["code"]) == (429, "insufficient_quota")
        removed = (await http.delete(url, headers=ADMIN)).json()
        assert removed["threshold_amount"] is None
        assert (await post(http, key)).status_code == 200
        bad = await http.post(url, json={"threshold_amount": -1}, headers=ADMIN)
        assert bad.status_code == 400
        assert (
            await http.get("/v1/organization/projects/proj_nope/spend_limit", headers=ADMIN)
        ).status_code == 404
