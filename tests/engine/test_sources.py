"""Model sources: the bundled split base model, local directories, and hub ids with and without a network."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from auricle.engine import bundled
from auricle.engine.sources import ModelSourceError, resolve


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def test_bundled_base_is_joined_checked_and_reused(tmp_path: Path) -> None:
    first = resolve("bundled:base", tmp_path)
    assert _sha256(first / "model.bin") == bundled.BASE_MODEL_SHA256
    assert {p.name for p in first.iterdir()} == {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.json",
    }
    mtime = (first / "model.bin").stat().st_mtime_ns
    assert resolve("bundled:base", tmp_path) == first
    assert (first / "model.bin").stat().st_mtime_ns == mtime  # not joined twice
    assert [p.name for p in first.parent.iterdir() if p.name.startswith(".whisper-base-")] == []


def test_two_processes_joining_at_once_agree(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from auricle.engine.bundled import base_dir; "
        "print(base_dir(Path(sys.argv[1])))"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = {process.communicate(timeout=120)[0].strip() for process in processes}
    assert all(process.returncode == 0 for process in processes)
    assert len(outputs) == 1
    joined = Path(outputs.pop()) / "model.bin"
    assert _sha256(joined) == bundled.BASE_MODEL_SHA256
    leftovers = [p.name for p in joined.parent.parent.iterdir() if p.name.startswith(".whisper-base-")]
    assert leftovers == []


def test_a_corrupt_join_is_refused_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundled, "BASE_MODEL_SHA256", "0" * 64)
    with pytest.raises(ModelSourceError, match="corrupt"):
        resolve("bundled:base", tmp_path)
    assert [p.name for p in (tmp_path / "models").iterdir() if not p.name.endswith(".lock")] == []


def test_a_truncated_earlier_join_is_replaced(tmp_path: Path) -> None:
    target = resolve("bundled:base", tmp_path)
    with (target / "model.bin").open("r+b") as handle:
        handle.truncate(1000)
    assert resolve("bundled:base", tmp_path) == target
    assert (target / "model.bin").stat().st_size == bundled.BASE_MODEL_SIZE


def test_bundled_tiny_en_is_a_model_directory() -> None:
    directory = resolve("bundled:tiny.en", Path("/nonexistent"))
    assert (directory / "model.bin").is_file()


def test_unknown_bundled_name(tmp_path: Path) -> None:
    with pytest.raises(ModelSourceError, match="no bundled model named 'large'"):
        resolve("bundled:large", tmp_path)


def test_any_ctranslate2_directory(tmp_path: Path) -> None:
    tiny = bundled.tiny_en_dir()
    copy = tmp_path / "my-model"
    copy.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"):
        (copy / name).symlink_to(tiny / name)
    assert resolve(str(copy), tmp_path) == copy


def test_directory_without_weights_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelSourceError, match=r"missing model\.bin"):
        resolve(str(tmp_path), tmp_path)


def test_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelSourceError, match="does not exist"):
        resolve(str(tmp_path / "nope"), tmp_path)
