"""OpenAI's official Node SDK against a real `auricle serve`: JSON only where it is JSON-typed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import JFK_TEXT
from tests.support.text import normalize

pytestmark = [
    pytest.mark.model,
    # Skipped only where Node.js is absent on a developer's machine; CI must run it.
    pytest.mark.skipif(
        shutil.which("npm") is None and not os.environ.get("CI"), reason="needs Node.js and npm"
    ),
]
NODE_DIR = Path(__file__).parent / "node"


@pytest.fixture(scope="module")
def node_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of tests/e2e/node with the locked `openai` package installed, outside the repository."""
    workdir = tmp_path_factory.mktemp("node-sdk")
    for name in ("package.json", "package-lock.json", "transcribe.mjs"):
        shutil.copy(NODE_DIR / name, workdir / name)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=workdir, check=True, timeout=300)
    return workdir


@pytest.fixture(scope="module")
def results(node_sdk: Path, live_server: str, jfk: Path) -> dict[str, Any]:
    done = subprocess.run(
        ["node", "transcribe.mjs", f"{live_server}/v1", str(jfk)],
        cwd=node_sdk,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed


@pytest.mark.parametrize("response_format", ["json", "verbose_json"])
def test_json_formats_arrive_as_objects(results: dict[str, Any], response_format: str) -> None:
    result = results[response_format]
    assert result["type"] == "object"
    assert normalize(result["value"]["text"]) == normalize(JFK_TEXT)


def test_verbose_json_has_words_and_segments(results: dict[str, Any]) -> None:
    value = results["verbose_json"]["value"]
    assert value["language"] == "english"
    assert len(value["words"]) == len(JFK_TEXT.split())
    assert value["segments"][0]["id"] == 0


@pytest.mark.parametrize("response_format", ["text", "srt", "vtt"])
def test_text_formats_arrive_as_strings(results: dict[str, Any], response_format: str) -> None:
    result = results[response_format]
    assert result["type"] == "string"
    assert "fellow Americans" in result["value"]


def test_translation(results: dict[str, Any]) -> None:
    assert results["translation"]["type"] == "object"
    assert normalize(results["translation"]["value"]["text"]) == normalize(JFK_TEXT)


def test_errors_reach_the_sdk_as_api_errors(results: dict[str, Any]) -> None:
    assert results["error"] == {
        "status": 400,
        "code": "invalid_language_format",
        "param": "language",
        "type": "invalid_request_error",
    }


def test_a_stream_arrives_as_typed_events_whose_deltas_make_the_text(results: dict[str, Any]) -> None:
    events = results["stream"]
    assert [event["type"] for event in events[:-1]] == ["transcript.text.delta"] * (len(events) - 1)
    assert events[-1]["type"] == "transcript.text.done"
    assert "".join(event["delta"] for event in events[:-1]) == events[-1]["text"]
    assert events[-1]["text"] == results["json"]["value"]["text"]
    assert events[-1]["usage"]["type"] == "tokens"
