"""The web page in headless Chromium on the real model: a person's uploads, recordings, playback,
downloads and mistakes, each with what they see."""

from __future__ import annotations

from pathlib import Path

import pytest
import srt
from playwright.sync_api import Page, expect

from tests.support.server import Server
from tests.web.conftest import PHONE

pytestmark = pytest.mark.model

LONG = 90_000  # ms: a cold model and two busy cores


def _open(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    expect(page.locator("#model")).to_contain_text("whisper-1")


def _words(page: Page) -> str:
    return " ".join(page.locator("#transcript .word").all_inner_texts()).lower()


def test_an_uploaded_file_is_transcribed_and_offers_subtitles_that_parse(
    page: Page, live_server: str, jfk: Path, artifacts: Path
) -> None:
    _open(page, live_server)
    page.set_input_files("#file", jfk)
    expect(page.locator("#transcript .word").first).to_be_visible(timeout=LONG)
    assert "ask not what your country can do for you" in _words(page)
    expect(page.locator("#meta")).to_contain_text("Language: English")
    expect(page.locator("#progress")).to_be_hidden()
    page.screenshot(path=artifacts / "desktop.png", full_page=True)

    with page.expect_download() as download:
        page.click(".download[data-format=srt]")
    assert download.value.suggested_filename == "jfk.srt"
    cues = list(srt.parse(Path(download.value.path()).read_text()))
    assert cues
    assert "ask not what your country" in " ".join(cue.content for cue in cues).lower()
    assert cues[-1].end.total_seconds() <= 11.1

    page.select_option("#format", "vtt")
    expect(page.locator("#source")).to_contain_text("WEBVTT")
    page.select_option("#format", "text")
    page.set_viewport_size(PHONE)
    page.screenshot(path=artifacts / "phone.png", full_page=True)


def test_a_click_on_a_word_plays_from_there_and_the_word_is_highlighted(
    page: Page, live_server: str, jfk: Path
) -> None:
    _open(page, live_server)
    page.set_input_files("#file", jfk)
    country = page.locator("#transcript .word", has_text="country").first
    expect(country).to_be_visible(timeout=LONG)
    start = float(country.get_attribute("data-start") or "nan")
    country.click()
    page.wait_for_function("document.querySelector('#player').currentTime > 0")
    played = page.evaluate("document.querySelector('#player').currentTime")
    assert start - 0.05 <= played <= start + 3
    expect(page.locator("#transcript .word.now")).to_have_count(1)


def test_the_microphone_is_transcribed_while_speaking(page: Page, live_server: str, artifacts: Path) -> None:
    _open(page, live_server)
    page.click("#record")
    expect(page.locator("#live-status")).to_contain_text("Listening", timeout=LONG)
    # Chromium's fake microphone plays jfk.flac: its words come back while it still plays.
    expect(page.locator("#transcript")).to_contain_text("country", timeout=LONG)
    page.screenshot(path=artifacts / "microphone.png", full_page=True)
    page.wait_for_timeout(4000)  # the rest of the recording, then its trailing silence
    page.click("#record")
    expect(page.locator(".download[data-format=vtt]")).to_be_enabled(timeout=LONG)
    text = page.locator("#transcript").inner_text().lower()
    assert "fellow american" in text
    assert "can do for your country" in text
    expect(page.locator("#player")).to_be_visible()
    page.select_option("#format", "vtt")
    expect(page.locator("#source")).to_contain_text("-->")


def test_a_wrong_key_is_said_in_plain_words(page: Page, keyed_server: Server, jfk: Path) -> None:
    page.goto(keyed_server.base_url + "/")
    expect(page.locator("#error")).to_contain_text("This server needs an API key")
    expect(page.locator("#key-box")).to_have_attribute("open", "")
    page.fill("#key", "wrong-key")
    page.dispatch_event("#key", "change")
    expect(page.locator("#error")).to_contain_text("did not accept this API key")
    page.set_input_files("#file", jfk)
    expect(page.locator("#error")).to_contain_text("did not accept this API key")
    page.fill("#key", "right-key")
    page.dispatch_event("#key", "change")
    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator("#model")).to_contain_text("tiny.en")
    assert page.evaluate("localStorage.getItem('auricle.apiKey')") == "right-key"


def test_a_file_that_is_not_audio_gets_the_servers_reason(
    page: Page, live_server: str, tmp_path: Path
) -> None:
    not_audio = tmp_path / "notes.txt"
    not_audio.write_text("these are words, not sounds\n")
    _open(page, live_server)
    page.set_input_files("#file", not_audio)
    expect(page.locator("#error")).to_be_visible(timeout=LONG)
    assert "file" in page.locator("#error").inner_text().lower()
    expect(page.locator("#progress")).to_be_hidden()


def test_a_translation_is_shown_by_segment_with_a_progress_indication(
    page: Page, live_server: str, jfk: Path
) -> None:
    _open(page, live_server)
    page.select_option("#task", "translate")
    page.set_input_files("#file", jfk)
    expect(page.locator("#progress-text")).to_contain_text("Translating")
    # No word timings come with a translation: its segments are what the player follows.
    expect(page.locator("#transcript .word").first).to_be_visible(timeout=LONG)
    assert "what your country can do for you" in _words(page)
    expect(page.locator("#progress")).to_be_hidden()
    page.select_option("#format", "json")
    assert '"segments"' in page.locator("#source").inner_text()
