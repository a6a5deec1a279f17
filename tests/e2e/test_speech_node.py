"""OpenAI's official Node SDK against a real `auricle serve`: `audio.speech.create` in every format."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support.spoken import decoded

pytestmark = [
    pytest.mark.model,
    # Skipped only where Node.js is absent on a developer's machine; CI must run it.
    pytest.mark.skipif(
        shutil.which("npm") is None and not os.environ.get("CI"), reason="needs Node.js and npm"
    ),
]
NODE_DIR = Path(__file__).parent / "node"
MEDIA_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/opus",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory, live_server: str) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("node-speech")
    for name in ("package.json", "package-lock.json", "speak.mjs"):
        shutil.copy(NODE_DIR / name, workdir / name)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=workdir, check=True, timeout=300)
    done = subprocess.run(
        ["node", "speak.mjs", f"{live_server}/v1", str(workdir)],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed


@pytest.mark.parametrize("response_format", list(MEDIA_TYPES))
def test_every_format_arrives_as_one_file(results: dict[str, Any], response_format: str) -> None:
    result = results[response_format]
    assert result["contentType"] == MEDIA_TYPES[response_format]
    audio = decoded(Path(result["path"]).read_bytes(), response_format)
    assert audio.rate == (48_000 if response_format == "opus" else 24_000)
    assert audio.channels == 1
    assert 2 < audio.seconds < 6


def test_an_unknown_voice_reaches_the_sdk_as_an_api_error(results: dict[str, Any]) -> None:
    assert results["error"] == {
        "status": 400,
        "code": "invalid_value",
        "param": "voice",
        "type": "invalid_request_error",
    }
