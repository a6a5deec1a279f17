"""`auricle transcribe | models | serve` as a user runs them, in real processes."""

from __future__ import annotations

import itertools
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auricle.engine.bundled import tiny_en_dir
from tests.conftest import JFK_TEXT
from tests.support.server import free_port
from tests.support.text import normalize

HUB_ID = "example-org/whisper-tiny-en"


def auricle(
    *args: str, env: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auricle", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_models_lists_ids_sources_and_aliases() -> None:
    result = auricle("models")
    assert result.returncode == 0
    assert "base\tbundled:base (default)" in result.stdout
    assert "whisper-1\t-> base" in result.stdout


@pytest.mark.model
def test_transcribe_writes_every_format_per_file(tmp_path: Path, jfk: Path) -> None:
    result = auricle("transcribe", str(jfk), "--model", "tiny.en", "--output-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jfk.json", "jfk.srt", "jfk.txt", "jfk.vtt"]
    assert normalize((tmp_path / "jfk.txt").read_text()) == normalize(JFK_TEXT)
    assert json.loads((tmp_path / "jfk.json").read_text())["language"] == "english"
    assert (tmp_path / "jfk.vtt").read_text().startswith("WEBVTT")


@pytest.mark.model
def test_transcribe_reports_bad_files_and_fails(tmp_path: Path, jfk: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not audio")
    result = auricle(
        "transcribe",
        str(bad),
        str(jfk),
        "--model",
        "tiny.en",
        "--format",
        "srt",
        "--output-dir",
        str(tmp_path),
    )
    assert result.returncode == 1
    assert "notes.txt" in result.stderr
    assert (tmp_path / "jfk.srt").is_file()


def _under_a_terminal(*args: str, timeout: float = 180) -> tuple[int, str, str]:
    """Runs auricle as a person at a terminal sees it: stderr on a pseudo-terminal, stdout piped.

    Returns the exit status, stdout and everything the terminal received."""
    terminal, stderr = os.openpty()
    try:
        with subprocess.Popen(
            [sys.executable, "-m", "auricle", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
        ) as process:
            os.close(stderr)
            shown = _read_until_closed(terminal, time.monotonic() + timeout)
            stdout, _ = process.communicate(timeout=timeout)
    finally:
        os.close(terminal)
    return process.returncode, stdout.decode(), shown.decode()


def _read_until_closed(terminal: int, deadline: float) -> bytes:
    shown = bytearray()
    while time.monotonic() < deadline:
        if not select.select([terminal], [], [], 1.0)[0]:
            continue
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # Linux: EIO once the process, the terminal's last other end, has exited
            break
        if not chunk:
            break
        shown += chunk
    return bytes(shown)


@pytest.mark.model
def test_transcribe_shows_a_progress_bar_on_a_terminal(tmp_path: Path, jfk: Path) -> None:
    status, stdout, shown = _under_a_terminal(
        "transcribe", str(jfk), "--model", "tiny.en", "--format", "text", "--output-dir", str(tmp_path)
    )
    assert status == 0, shown
    # Each redraw starts with a carriage return (the terminal turns "\n" into "\r\n"; those are not redraws).
    drawn = re.findall(r"\r(?!\n)([^\r\n]*)", shown)
    assert len(drawn) >= 2, shown
    assert all("jfk.flac" in line for line in drawn)
    assert re.search(r"jfk\.flac +0% \[\.+\] 00:00/00:11 --\.-x ETA --:--", drawn[0]), drawn[0]
    assert re.search(r"jfk\.flac 100% \[#+\] 00:11/00:11 \d+\.\dx ETA 00:00", drawn[-1]), drawn[-1]
    assert shown.endswith("\r\n")  # the finished bar keeps its line
    assert "\r" not in stdout  # pipelines read the transcripts alone
    label, _, text = stdout.partition(": ")
    assert label == str(jfk)
    assert normalize(text) == normalize(JFK_TEXT)


@pytest.mark.model
def test_transcribe_piped_shows_no_bar_and_takes_folders_and_stdin(tmp_path: Path, jfk: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    shutil.copy(jfk, tmp_path / "in" / "sub" / "jfk.flac")
    (tmp_path / "in" / "notes.txt").write_text("not audio, and not a media file: left alone")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "auricle", "transcribe", "-", str(tmp_path / "in"), "--model", "tiny.en",
         "--format", "text", "--output-dir", str(out)],
        input=jfk.read_bytes(), capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "\r" not in stderr
    assert "\x1b" not in stderr
    assert "ETA" not in stderr
    labels = [line.partition(": ")[0] for line in result.stdout.decode().splitlines()]
    assert labels == ["stdin", str(tmp_path / "in" / "sub" / "jfk.flac")]
    written = sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file())
    assert written == ["stdin.txt", "sub/jfk.txt"]
    assert normalize((out / "stdin.txt").read_text()) == normalize(JFK_TEXT)
    assert normalize((out / "sub" / "jfk.txt").read_text()) == normalize(JFK_TEXT)


def test_transcribe_takes_stdin_only_once(jfk: Path) -> None:
    result = auricle("transcribe", "-", str(jfk), "-")
    assert result.returncode == 2
    assert "only once" in result.stderr


def test_english_only_model_refuses_to_translate(jfk: Path) -> None:
    result = auricle("transcribe", str(jfk), "--model", "tiny.en", "--task", "translate")
    assert result.returncode == 1
    assert "English-only" in result.stderr


def _hub_cache(root: Path) -> Path:
    """A Hugging Face cache holding tiny.en under a hub id, laid out as huggingface_hub writes it."""
    repo = root / f"models--{HUB_ID.replace('/', '--')}"
    snapshot = repo / "snapshots" / "0123456789abcdef"
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123456789abcdef")
    for source in tiny_en_dir().iterdir():
        if source.is_file():
            (snapshot / source.name).symlink_to(source)
    return root


@pytest.mark.model
def test_hub_id_loads_from_the_cache_offline(tmp_path: Path, jfk: Path) -> None:
    env = {"HF_HUB_CACHE": str(_hub_cache(tmp_path / "hub")), "HF_HUB_OFFLINE": "1"}
    out = tmp_path / "out"
    result = auricle(
        "transcribe", str(jfk), "--add-model", f"hubtiny={HUB_ID}", "--model", "hubtiny",
        "--format", "text", "--output-dir", str(out), env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert normalize((out / "jfk.txt").read_text()) == normalize(JFK_TEXT)


def test_serve_with_an_unreachable_hub_model_exits_with_a_clear_error(tmp_path: Path) -> None:
    env = {"HF_HUB_CACHE": str(tmp_path / "empty-hub"), "AURICLE_CACHE_DIR": str(tmp_path / "cache")}
    result = auricle(
        "serve",
        "--port",
        str(free_port()),
        "--add-model",
        "small=Systran/faster-whisper-small",
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "cannot load model 'small'" in result.stderr
    assert "local CTranslate2 directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_rejects_nonsense_settings() -> None:
    result = auricle("serve", "--concurrency", "0")
    assert result.returncode == 2
    assert "concurrency" in result.stderr


def test_serve_on_ray_refuses_bad_replica_counts_before_connecting() -> None:
    result = auricle("serve", "--ray", "127.0.0.2:1", "--replicas", "3", "--max-replicas", "2", timeout=60)
    assert result.returncode == 2
    assert "max_replicas 2 is below min_replicas 3" in result.stderr


@pytest.mark.model
def test_transcribe_with_speakers_labels_cues(tmp_path: Path, jfk: Path) -> None:
    result = auricle(
        "transcribe", str(jfk), "--model", "tiny.en", "--speakers", "--output-dir", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "jfk.srt").read_text().splitlines()
    cues = [text for timing, text in itertools.pairwise(lines) if "-->" in timing]
    assert cues
    assert all(text.startswith("[A] ") for text in cues)
    assert "<v A>" in (tmp_path / "jfk.vtt").read_text()
    segments = json.loads((tmp_path / "jfk.json").read_text())["segments"]
    assert {segment["speaker"] for segment in segments} == {"A"}
    assert normalize((tmp_path / "jfk.txt").read_text()) == normalize(JFK_TEXT)
