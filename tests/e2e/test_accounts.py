"""`auricle serve` on the bundled tiny.en with a database-managed key, driven by the openai SDK: what
the ledger bills is what the answer's `usage` says, and a key revoked with the CLI stops working."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openai
import pytest

from auricle.accounts import reports
from auricle.accounts.store import Store
from tests.support.server import ONLY_TINY, serve

pytestmark = pytest.mark.model


def _cli(url: str, *args: str) -> str:
    env = {**os.environ, "AURICLE_DATABASE_URL": url}
    command = [sys.executable, "-m", "auricle", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def test_a_real_transcription_is_billed_what_its_usage_says(
    tmp_path: Path, jfk: Path, model_cache: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'auricle.db'}"
    account = json.loads(_cli(url, "accounts", "create", "--name", "acme", "--balance", "1", "--json"))["id"]
    key = json.loads(_cli(url, "keys", "create", "--account", account, "--json"))
    prices = '{"*": {"audio_second": 0.0001}}'
    with serve(tmp_path, cache_dir=str(model_cache), database_url=url, prices=prices, **ONLY_TINY) as server:
        sdk = openai.OpenAI(base_url=f"{server.base_url}/v1", api_key=key["value"], max_retries=0)
        with jfk.open("rb") as audio:
            answer = sdk.audio.transcriptions.create(model="tiny.en", file=audio, response_format="json")
        assert answer.usage is not None
        assert answer.usage.type == "duration"
        _cli(url, "keys", "revoke", key["id"])
        with jfk.open("rb") as audio, pytest.raises(openai.AuthenticationError):
            sdk.audio.transcriptions.create(model="tiny.en", file=audio)
    store = Store(url)
    used = reports.totals(store, key_id=key["id"])
    store.close()
    assert used["requests"] == 1
    assert used["billed_ms"] == answer.usage.seconds * 1000
    assert used["cost_micros"] == answer.usage.seconds * 100
