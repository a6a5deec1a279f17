"""Headless Chromium (Debian's `chromium`, driven by Playwright) against a real `auricle serve`.

No browser is downloaded: Playwright drives the system's Chromium, which `scripts/test` installs. The
microphone is Chromium's fake capture device playing a WAV file, and screenshots land in
`test-artifacts/web/` (or `$AURICLE_TEST_ARTIFACTS/web`) for people to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright

from tests.support.server import ONLY_TINY, Server, serve
from tests.support.speech import samples_of, wav

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root in a container there is no sandbox to use; and with the network closed, Chromium's own
# background connections would only fail (the machine notes say so), so they are turned off.
_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]
DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    root = Path(os.environ.get("AURICLE_TEST_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts"))
    folder = root / "web"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def spoken_wav(jfk: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """jfk.flac and 3 s of silence, so that the speaker is heard to stop, as the fake microphone."""
    samples = np.concatenate([samples_of(jfk), np.zeros(3 * 16_000, np.float32)])
    path = tmp_path_factory.mktemp("microphone") / "jfk.wav"
    path.write_bytes(wav(samples))
    return path


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).is_file():
        pytest.fail("Debian's chromium is not installed: scripts/test installs it (apt-get install chromium)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright, spoken_wav: Path) -> Iterator[Browser]:
    # The fake device plays the file once (%noloop), then silence.
    capture = f"--use-file-for-fake-audio-capture={spoken_wav}%noloop"
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=[*_ARGUMENTS, capture])
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"the page threw: {errors}"


@pytest.fixture(scope="session")
def keyed_server(model_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A second `auricle serve`, this one asking for the key `right-key`."""
    folder = tmp_path_factory.mktemp("keyed")
    # Only the small model: nothing is transcribed there.
    with serve(folder, cache_dir=str(model_cache), api_keys="right-key", **ONLY_TINY) as server:
        yield server
        server.terminate()
