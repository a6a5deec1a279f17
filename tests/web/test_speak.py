"""The page's "Speak" panel in headless Chromium on a real server: type, hear it, download it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.spoken import decoded

pytestmark = pytest.mark.model

LONG = 60_000  # ms: the voice loads on its first request, on two busy cores


def test_typed_text_is_spoken_played_and_downloaded(page: Page, live_server: str, artifacts: Path) -> None:
    page.goto(live_server + "/")
    expect(page.locator("#speak-voice")).to_contain_text("nova")
    page.fill("#speak-text", "Hello from the speak panel. It costs $3.50.")
    page.select_option("#speak-voice", "nova")
    page.click("#speak-button")
    expect(page.locator("#speak-download")).to_be_visible(timeout=LONG)
    expect(page.locator("#speak-meta")).to_contain_text("read by heart")
    # The stream was played as it came: the player has the whole file's length once it ended.
    duration = page.eval_on_selector("#speak-player", "player => player.duration")
    assert 2 < duration < 8
    page.screenshot(path=str(artifacts / "speak-desktop.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#speak-download")
    audio = decoded(Path(download.value.path()).read_bytes())
    assert audio.rate == 24_000
    assert audio.seconds == pytest.approx(duration, abs=0.2)


def test_empty_text_gets_the_servers_reason(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.click("#speak-button")
    expect(page.locator("#speak-error")).to_contain_text("'input' is empty", timeout=LONG)
    expect(page.locator("#speak-download")).to_be_hidden()
