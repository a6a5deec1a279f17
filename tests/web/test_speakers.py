"""The page's speakers in headless Chromium on the real model and the real speaker stage: a recording of
two voices (JFK, then Allison, the Asterisk en-US prompt voice, then JFK again) shown as turns, each
speaker with a colour and a name the person can change, and the names carried into every download."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import srt
from playwright.sync_api import Download, Page, expect

from auricle.engine.protocol import Samples
from tests.support.speech import samples_of, wav
from tests.web.conftest import PHONE

pytestmark = pytest.mark.model

LONG = 90_000  # ms: a cold model and two busy cores
SPEAKERS = 180_000  # ms: the whole recording transcribed, then its speakers found, before anything shows
RATE = 16_000
ALLISON = Path.home() / ".cache" / "auricle-corpus" / "asterisk-core-sounds" / "en_US_f_Allison"
# JFK's recording is cut at 5 s, inside "ask not | what your country": its second half opens with this.
JFK_WORDS = "what your country can do for you"


def _allison(count: int) -> Samples:
    """Her first prompts of 2 to 5 s, as tests/api/test_diarization.py picks them."""
    clips = [samples_of(path) for path in sorted(ALLISON.glob("*.wav"))[:40]]
    return np.concatenate([clip for clip in clips if 2 * RATE < clip.size < 5 * RATE][:count])


def _conversation(jfk: Path) -> Samples:
    """JFK's first 5 s, Allison, the rest of JFK: each as loud as the others, half a second apart."""
    speech = samples_of(jfk)
    gap = np.zeros(RATE // 2, np.float32)
    parts: list[Samples] = []
    for clip in (speech[: 5 * RATE], _allison(2), speech[5 * RATE :]):
        parts += [clip / np.abs(clip).max() * 0.5, gap]
    return np.concatenate(parts).astype(np.float32)


@pytest.fixture(scope="module")
def conversation(jfk: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ALLISON.is_dir():
        pytest.fail(f"{ALLISON} is missing: build the corpus (scripts/test does)")
    path = tmp_path_factory.mktemp("speakers") / "conversation.wav"
    path.write_bytes(wav(_conversation(jfk)))
    return path


def _open(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    expect(page.locator("#model")).to_contain_text("whisper-1")


def _turns(page: Page) -> list[tuple[str, str, str]]:
    """Each turn on the page: its speaker's label, the name it shows, and its words in lower case."""
    return [
        (
            turn.get_attribute("data-speaker") or "",
            turn.locator(".speaker").inner_text(),
            " ".join(turn.locator(".word").all_inner_texts()).lower(),
        )
        for turn in page.locator("#transcript .turn").all()
    ]


def _downloaded(page: Page, extension: str) -> str:
    with page.expect_download() as download:
        page.click(f".download[data-format={'text' if extension == 'txt' else extension}]")
    got: Download = download.value
    assert got.suggested_filename == f"conversation.{extension}"
    return Path(got.path()).read_text()


def test_two_voices_are_two_named_speakers_carried_into_the_downloads(
    page: Page, live_server: str, conversation: Path, artifacts: Path
) -> None:
    _open(page, live_server)
    page.check("#speakers")
    page.set_input_files("#file", conversation)
    expect(page.locator("#progress-text")).to_contain_text("Finding who spoke")
    legend = page.locator("#speaker-list")
    expect(legend).to_be_visible(timeout=SPEAKERS)
    expect(page.locator("#progress")).to_be_hidden()

    # The legend: two speakers, each its own colour, named as the transcript names them.
    expect(legend.locator(".speaker-entry")).to_have_count(2)
    colours = legend.locator(".swatch").evaluate_all(
        "all => all.map(s => getComputedStyle(s).backgroundColor)"
    )
    assert len(set(colours)) == 2, colours
    assert legend.locator("input").evaluate_all("all => all.map(i => i.value)") == ["Speaker A", "Speaker B"]
    expect(page.locator("#meta")).to_contain_text("2 speakers")

    # JFK opens and closes, Allison speaks between: three turns, JFK's words under one speaker only.
    turns = _turns(page)
    assert [label for label, _, _ in turns] == ["A", "B", "A"], turns
    assert [name for _, name, _ in turns] == ["Speaker A", "Speaker B", "Speaker A"]
    assert "fellow americans, ask not" in turns[0][2]
    assert JFK_WORDS in turns[2][2]
    assert "followed by the pound key" in turns[1][2], turns
    assert JFK_WORDS not in turns[1][2]
    label_colours = page.locator("#transcript .speaker").evaluate_all(
        "all => all.map(l => getComputedStyle(l).color)"
    )
    assert label_colours == [colours[0], colours[1], colours[0]]
    # Segments are what the player follows: a click on Allison's plays from there, and marks it.
    page.locator("#transcript .turn[data-speaker=B] .word").first.click()
    page.wait_for_function("document.querySelector('#player').currentTime > 5")
    expect(page.locator("#transcript .turn[data-speaker=B] .word.now")).to_have_count(1)
    page.evaluate("document.querySelector('#player').pause()")
    page.screenshot(path=artifacts / "speakers-desktop.png", full_page=True)

    # Renamed while the WebVTT preview shows: the preview follows, then the transcript's labels.
    page.select_option("#format", "vtt")
    page.fill("#speaker-list input[data-speaker=A]", "Kennedy")
    expect(page.locator("#source")).to_contain_text("<v Kennedy>")
    expect(page.locator("#source")).to_contain_text("<v Speaker B>")
    page.select_option("#format", "text")
    assert [name for _, name, _ in _turns(page)] == ["Kennedy", "Speaker B", "Kennedy"]

    cues = list(srt.parse(_downloaded(page, "srt")))
    kennedy = " ".join(cue.content for cue in cues if cue.content.startswith("[Kennedy] ")).lower()
    other = " ".join(cue.content for cue in cues if cue.content.startswith("[Speaker B] ")).lower()
    assert JFK_WORDS in kennedy
    assert "pound" in other
    assert all(cue.content.startswith(("[Kennedy] ", "[Speaker B] ")) for cue in cues), cues
    vtt = _downloaded(page, "vtt")
    assert vtt.startswith("WEBVTT\n\n")
    assert "<v Kennedy>" in vtt
    assert "<v Speaker B>" in vtt
    lines = _downloaded(page, "txt").splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == ["Kennedy", "Speaker B", "Kennedy"], lines
    assert JFK_WORDS in lines[2].lower()

    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts / "speakers-phone.png", full_page=True)


def test_without_the_box_a_recording_of_two_voices_has_no_speakers(
    page: Page, live_server: str, conversation: Path
) -> None:
    _open(page, live_server)
    # Translations carry no speakers: the box is off while Translate is chosen.
    page.select_option("#task", "translate")
    expect(page.locator("#speakers")).to_be_disabled()
    page.select_option("#task", "transcribe")
    expect(page.locator("#speakers")).to_be_enabled()
    expect(page.locator("#speakers")).not_to_be_checked()

    page.set_input_files("#file", conversation)
    expect(page.locator("#progress-text")).to_contain_text("Transcribing")
    expect(page.locator("#transcript .word").first).to_be_visible(timeout=LONG)
    expect(page.locator("#progress")).to_be_hidden()
    expect(page.locator("#speaker-list")).to_be_hidden()
    expect(page.locator("#transcript .turn, #transcript .speaker")).to_have_count(0)
    assert JFK_WORDS in " ".join(page.locator("#transcript .word").all_inner_texts()).lower()
    expect(page.locator("#meta")).not_to_contain_text("speaker")
    cues = list(srt.parse(_downloaded(page, "srt")))
    assert cues
    assert not any(cue.content.startswith("[") for cue in cues), cues
