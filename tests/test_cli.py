"""`auricle transcribe | models | serve` as a user runs them, in real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
