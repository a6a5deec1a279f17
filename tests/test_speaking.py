"""`auricle speak` as a user runs it, in a real process: a file, stdin to stdout, and a clear refusal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.spoken import decoded
from tests.test_cli import auricle


def test_speaks_into_a_file_named_by_its_format(tmp_path: Path) -> None:
    out = tmp_path / "out.flac"
    result = auricle("speak", "It costs $3.50, see you on Friday.", "-o", str(out), "--progress")
    assert result.returncode == 0, result.stderr
    audio = decoded(out.read_bytes())
    assert (audio.rate, audio.channels) == (24_000, 1)
    assert 2 < audio.seconds < 6
    assert "speaking: 2/2 pieces" in result.stderr


def test_reads_stdin_and_writes_stdout() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "auricle", "speak", "-", "-o", "-", "--format", "pcm", "--speed", "2"],
        input=b"Hello from standard input.",
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert 0.4 < decoded(result.stdout, "pcm").seconds < 1.5
    assert b"speaking" not in result.stderr  # not a terminal: no progress line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["\u4f60\u597d"], "they speak English (Latin script) only"),
        (["Hello.", "--voice", "robot"], "Supported values are"),
        (["Hello.", "--speed", "9"], "--speed 0.25 to 4.0"),
    ],
)
def test_refuses_what_the_endpoint_refuses(tmp_path: Path, args: list[str], message: str) -> None:
    result = auricle("speak", *args, "-o", str(tmp_path / "x.mp3"))
    assert result.returncode in (1, 2)
    assert message in result.stderr
