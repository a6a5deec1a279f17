"""The progress bar: its line, its figures, when it draws, and that it stays off a pipe."""

from __future__ import annotations

import io

import pytest

from auricle.progress import ProgressBar, clock, eta, progress_line, shorten, shows_progress, speed


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.seconds = 100.0

    def __call__(self) -> float:
        return self.seconds


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "00:00"), (9.99, "00:09"), (75, "01:15"), (3599, "59:59"), (3600, "1:00:00"), (36125, "10:02:05")],
)
def test_clock_is_minutes_and_seconds_then_hours(seconds: float, shown: str) -> None:
    assert clock(seconds) == shown


def test_speed_and_eta_follow_the_audio_done_so_far() -> None:
    assert speed(30.0, 2.5) == 12.0
    assert eta(30.0, 90.0, 2.5) == 5.0  # 60 s of audio left at 12x
    assert eta(90.0, 90.0, 2.5) == 0.0


def test_speed_and_eta_are_unknown_before_anything_is_done() -> None:
    assert speed(0.0, 3.0) is None
    assert speed(5.0, 0.0) is None
    assert eta(0.0, 90.0, 3.0) is None


def test_a_line_shows_name_bar_times_speed_and_eta() -> None:
    line = progress_line("talk.mp3", 30.0, 120.0, 2.5, 80)
    assert line == f"talk.mp3  25% [{'#' * 8}{'.' * 27}] 00:30/02:00 12.0x ETA 00:07"
    assert len(line) == 79  # the bar takes what is left of the line, short of its last column


def test_the_first_line_says_what_it_cannot_know_yet() -> None:
    line = progress_line("a.wav", 0.0, 3725.0, 0.0, 80)
    assert line == f"a.wav   0% [{'.' * 36}] 00:00/1:02:05 --.-x ETA --:--"


def test_a_finished_line_is_full() -> None:
    assert (
        progress_line("a.wav", 11.0, 11.0, 1.0, 60) == f"a.wav 100% [{'#' * 18}] 00:11/00:11 11.0x ETA 00:00"
    )


def test_done_never_shows_beyond_the_total() -> None:
    assert progress_line("a.wav", 12.5, 11.0, 1.0, 60) == progress_line("a.wav", 11.0, 11.0, 1.0, 60)


@pytest.mark.parametrize("width", [200, 80, 50, 30, 12])
def test_a_long_name_is_shortened_and_the_line_always_fits(width: int) -> None:
    name = "recordings/2024/board-meeting-march-the-long-one/final-take.flac"
    line = progress_line(name, 60.0, 600.0, 10.0, width)
    assert len(line) < width
    if width >= 50:
        assert "..." in line
        assert line.split()[0].endswith("take.flac")  # the end of a path names the file


def test_a_narrow_terminal_drops_the_bar_before_the_figures() -> None:
    line = progress_line("a.wav", 30.0, 120.0, 2.5, 40)
    assert "[" not in line
    assert line == "a.wav  25% 00:30/02:00 12.0x ETA 00:07"


def test_shorten_keeps_the_end_of_a_path() -> None:
    assert shorten("talks/day2/intro.mp3", 20) == "talks/day2/intro.mp3"
    assert shorten("talks/day2/intro.mp3", 16) == "...ay2/intro.mp3"
    assert shorten("talks/day2/intro.mp3", 12) == "...intro.mp3"
    assert shorten("talks/day2/intro.mp3", 2) == "p3"
    assert shorten("talks/day2/intro.mp3", 0) == ""


def test_auto_progress_only_on_a_terminal() -> None:
    assert shows_progress(None, Terminal())
    assert not shows_progress(None, io.StringIO())
    assert shows_progress(True, io.StringIO())
    assert not shows_progress(False, Terminal())


def test_the_bar_redraws_in_place_at_most_ten_times_a_second_and_ends_at_100() -> None:
    stream, now = Terminal(), Clock()
    with ProgressBar(stream, "a.wav", 100.0, now=now, width=60) as bar:
        now.seconds += 0.0625
        bar.advance(10.0)  # too soon after the first line: skipped
        now.seconds += 0.0625
        bar.advance(20.0)
        now.seconds += 1.0
        bar.advance(60.0)
    lines = stream.getvalue().split("\r")
    assert lines[0] == ""
    assert [line.split()[1] for line in lines[1:]] == ["0%", "20%", "60%", "100%"]
    assert lines[-1].endswith("\n")
    assert stream.getvalue().count("\n") == 1
    assert "\x1b" not in stream.getvalue()


def test_a_shorter_line_covers_what_the_longer_one_before_left() -> None:
    stream, now = Terminal(), Clock()
    with ProgressBar(stream, "a.wav", 100.0, now=now, width=60) as bar:
        now.seconds += 0.5
        bar.advance(100.0)  # "ETA 00:00" after "ETA --:--": same length; speeds differ in length
    drawn = stream.getvalue().rstrip("\n").split("\r")[1:]
    assert len(drawn[-1]) >= len(drawn[-2])


def test_a_failure_keeps_the_last_line_and_ends_it() -> None:
    stream, now = Terminal(), Clock()

    def fail_at_40_percent() -> None:
        with ProgressBar(stream, "a.wav", 100.0, now=now, width=60) as bar:
            now.seconds += 1.0
            bar.advance(40.0)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_at_40_percent()
    assert "100%" not in stream.getvalue()
    assert stream.getvalue().endswith("\n")
    assert " 40%" in stream.getvalue()
