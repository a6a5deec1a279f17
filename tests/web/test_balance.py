"""The page shows the key's balance and a chart of its daily audio seconds (`balance.js`), on the
real model, once the key is accepted; on a server that meters nothing it shows nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.server import Server

pytestmark = pytest.mark.model


def test_the_keys_balance_and_daily_use_follow_each_transcription(
    page: Page, keyed_server: Server, live_server: str, jfk: Path
) -> None:
    page.goto(live_server + "/")
    expect(page.locator("#model")).to_contain_text("whisper-1")
    expect(page.locator("#balance")).to_be_hidden()  # an open server: nothing to show

    page.goto(keyed_server.base_url + "/")
    page.fill("#key", "right-key")
    page.dispatch_event("#key", "change")
    expect(page.locator("#balance-text")).to_contain_text("Balance: unlimited")
    expect(page.locator("#balance .usage-chart span")).to_have_count(14)
    page.set_input_files("#file", jfk)
    expect(page.locator("#transcript .word").first).to_be_visible(timeout=90_000)
    expect(page.locator("#balance-text")).to_have_text(
        re.compile(r"· (1[1-9]|[2-9]\d|\d{3,}) s of audio in [1-9]")
    )
    assert page.locator("#balance .usage-chart span").last.evaluate("bar => bar.style.height") == "100%"
