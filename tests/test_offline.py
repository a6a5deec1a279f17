"""`auricle transcribe`'s inputs and outputs: folders, stdin, output names, failures and the bar.

The fake engine stands in for Whisper here; tests/test_cli.py runs the real model.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from auricle.audio.errors import UndecodableAudio
from auricle.engine.options import DecodeOptions
from auricle.formats.render import ResponseFormat
from auricle.offline import Source, media_files, read_samples, sources, write_transcripts
from tests.fakes import FAKE_TEXT, FakeModel


class Stdin:
    """Standard input holding `data`, as a pipe or a terminal."""

    def __init__(self, data: bytes, *, tty: bool = False) -> None:
        self.buffer = io.BytesIO(data)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def _touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"")


def _write(found: list[Source], output_dir: Path, *, progress: bool = False) -> int:
    return write_transcripts(
        FakeModel(),
        found,
        max_seconds=3600.0,
        options=DecodeOptions(),
        formats=(ResponseFormat.TEXT, ResponseFormat.SRT),
        output_dir=output_dir,
        progress=progress,
    )


def test_a_folder_holds_its_media_files_recursively_sorted(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "e.ogg", "a.mp3", "notes.txt", "cover.jpg", "a.txt", ".hidden.mp3", "no-extension",
        "sub/b.WAV", "sub/deeper/d.flac", "sub/deeper/clip.webm", ".git/objects/x.mp3", "sub/.cache/y.wav",
    )  # fmt: skip
    found = [path.relative_to(tmp_path).as_posix() for path in media_files(tmp_path)]
    assert found == ["a.mp3", "e.ogg", "sub/b.WAV", "sub/deeper/clip.webm", "sub/deeper/d.flac"]


def test_a_folder_mirrors_its_layout_and_files_keep_their_stem(tmp_path: Path) -> None:
    _touch(tmp_path, "talks/intro.mp3", "talks/day2/intro.mp3", "elsewhere/memo.m4a")
    found, problems = sources([str(tmp_path / "talks"), "-", str(tmp_path / "elsewhere/memo.m4a")])
    assert problems == []
    assert [(source.label, source.output.as_posix()) for source in found] == [
        (str(tmp_path / "talks/day2/intro.mp3"), "day2/intro"),
        (str(tmp_path / "talks/intro.mp3"), "intro"),
        ("stdin", "stdin"),
        (str(tmp_path / "elsewhere/memo.m4a"), "memo"),
    ]
    assert found[2].path is None


def test_inputs_sharing_a_stem_keep_their_whole_names(tmp_path: Path) -> None:
    _touch(tmp_path, "talk.mp3", "talk.wav")
    found, problems = sources([str(tmp_path)])
    assert problems == []
    assert [source.output.as_posix() for source in found] == ["talk.mp3", "talk.wav"]


def test_an_input_that_would_overwrite_another_is_skipped_and_reported(tmp_path: Path) -> None:
    _touch(tmp_path, "x/talk.mp3", "y/talk.mp3")
    found, problems = sources([str(tmp_path / "x/talk.mp3"), str(tmp_path / "y/talk.mp3")])
    assert [source.path for source in found] == [tmp_path / "x/talk.mp3"]
    assert problems == [
        f"{tmp_path / 'y/talk.mp3'}: skipped: its outputs would overwrite those of {found[0].label}"
    ]


def test_a_file_named_twice_is_transcribed_once(tmp_path: Path) -> None:
    _touch(tmp_path, "a.mp3")
    found, problems = sources([str(tmp_path / "a.mp3"), str(tmp_path), str(tmp_path / "." / "a.mp3")])
    assert [source.output.as_posix() for source in found] == ["a"]
    assert problems == []


def test_an_empty_folder_is_a_problem_and_a_missing_file_is_left_to_fail_when_read(tmp_path: Path) -> None:
    _touch(tmp_path, "empty/readme.txt")
    found, problems = sources([str(tmp_path / "empty"), str(tmp_path / "missing.flac")])
    assert problems == [f"{tmp_path / 'empty'}: no audio or video files in this folder"]
    assert [source.output.as_posix() for source in found] == ["missing"]


def test_stdin_is_read_whole_and_decoded(monkeypatch: pytest.MonkeyPatch, jfk_flac: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", Stdin(jfk_flac))
    samples = read_samples(Source(None, "stdin", Path("stdin")), 3600.0)
    assert len(samples) == 11 * 16_000


def test_stdin_from_a_terminal_is_refused_rather_than_waited_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", Stdin(b"", tty=True))
    with pytest.raises(OSError, match="standard input is a terminal"):
        read_samples(Source(None, "stdin", Path("stdin")), 3600.0)


def test_stdin_that_is_not_audio_is_undecodable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", Stdin(b"not audio at all"))
    with pytest.raises(UndecodableAudio):
        read_samples(Source(None, "stdin", Path("stdin")), 3600.0)


def test_failures_are_reported_and_counted_and_the_rest_go_on(
    tmp_path: Path,
    jfk: Path,
    jfk_flac: bytes,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    shutil.copy(jfk, tmp_path / "in" / "sub" / "jfk.flac")
    (tmp_path / "in" / "broken.mp3").write_bytes(b"not audio")
    monkeypatch.setattr(sys, "stdin", Stdin(jfk_flac))
    found, _ = sources([str(tmp_path / "missing.flac"), str(tmp_path / "in"), "-"])
    out = tmp_path / "out"
    assert _write(found, out) == 2
    stdout, stderr = capsys.readouterr()
    assert stderr.splitlines() == [
        f"{tmp_path / 'missing.flac'}: No such file or directory",
        f"{tmp_path / 'in/broken.mp3'}: Audio file might be corrupted or unsupported",
    ]
    assert stdout.splitlines() == [f"{tmp_path / 'in/sub/jfk.flac'}:{FAKE_TEXT}", f"stdin:{FAKE_TEXT}"]
    written = sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file())
    assert written == ["stdin.srt", "stdin.txt", "sub/jfk.srt", "sub/jfk.txt"]


def test_no_bar_unless_asked_for(tmp_path: Path, jfk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found, _ = sources([str(jfk)])
    assert _write(found, tmp_path) == 0
    assert capsys.readouterr().err == ""


def test_the_bar_goes_to_stderr_and_ends_at_100(
    tmp_path: Path, jfk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found, _ = sources([str(jfk)])
    assert _write(found, tmp_path, progress=True) == 0
    stdout, stderr = capsys.readouterr()
    assert stderr.startswith("\r")
    assert stderr.endswith("\n")
    assert " 100% " in stderr.rsplit("\r", 1)[1]
    assert "00:11/00:11" in stderr
    assert "\r" not in stdout
