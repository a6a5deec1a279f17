"""A one-line progress bar on a terminal: audio time done of the total, speed and time left.

Pure terminal rendering: it knows seconds of audio and of wall time, nothing of models. It draws only
where a person watches (a terminal), so a pipe or a log file never receives carriage returns.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

REDRAW_SECONDS = 0.1
"""At most ten redraws a second: more is flicker a person cannot read, and costs the terminal."""

_NAME_SHARE = 3
"""The file name takes at most a third of the line, so the figures always fit."""
_BAR_MIN, _BAR_MAX = 10, 40


def shows_progress(choice: bool | None, stream: TextIO) -> bool:
    """`--progress` or `--no-progress` when given; otherwise only when `stream` is a terminal."""
    return stream.isatty() if choice is None else choice


def clock(seconds: float) -> str:
    """`mm:ss`, or `h:mm:ss` from an hour on; whole seconds, rounded down."""
    minutes, secs = divmod(max(0, int(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def speed(done: float, elapsed: float) -> float | None:
    """Audio seconds done per wall second (the real-time factor); unknown before anything is done."""
    return done / elapsed if done > 0 and elapsed > 0 else None


def eta(done: float, total: float, elapsed: float) -> float | None:
    """Wall seconds left at the speed so far."""
    rate = speed(done, elapsed)
    return max(0.0, total - done) / rate if rate else None


def shorten(name: str, width: int) -> str:
    """`name` in at most `width` characters, its start replaced by `...`: a path's end names the file."""
    if len(name) <= width:
        return name
    if width <= 3:
        return name[len(name) - width :]
    return f"...{name[len(name) - width + 3 :]}"


def progress_line(name: str, done: float, total: float, elapsed: float, width: int) -> str:
    """One line, shorter than `width` (a full line would wrap on some terminals and break `\\r`)."""
    done = min(max(done, 0.0), total)
    fraction = done / total if total > 0 else 1.0
    rate, left = speed(done, elapsed), eta(done, total, elapsed)
    figures = " ".join(
        (
            f"{clock(done)}/{clock(total)}",
            f"{rate:.1f}x" if rate is not None else "--.-x",
            f"ETA {clock(left) if left is not None else '--:--'}",
        )
    )
    percent = f"{math.floor(fraction * 100):3d}%"
    room = width - 1
    label = shorten(name, min(len(name), max(room // _NAME_SHARE, 8)))
    bar_width = min(_BAR_MAX, room - len(label) - len(percent) - len(figures) - 5)
    if bar_width < _BAR_MIN:  # a narrow terminal: the figures matter more than the bar
        return f"{label} {percent} {figures}"[:room]
    filled = math.floor(fraction * bar_width)
    return f"{label} {percent} [{'#' * filled}{'.' * (bar_width - filled)}] {figures}"


class ProgressBar:
    """Redraws one line in place with `\\r` as audio is done; ends with the line at 100% and a newline.

    Used as a context manager: leaving it normally draws 100%; leaving it on an error keeps the last
    line, so the message that follows is on a line of its own.
    """

    def __init__(
        self,
        stream: TextIO,
        name: str,
        total: float,
        *,
        now: Callable[[], float] = time.monotonic,
        width: int | None = None,
    ) -> None:
        self._stream = stream
        self._name = name
        self._total = total
        self._now = now
        self._width = width or _terminal_width(stream)
        self._started = now()
        self._drawn_at: float | None = None
        self._drawn = ""

    def __enter__(self) -> ProgressBar:
        self.advance(0.0)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self._draw(self._total)
        self._stream.write("\n")
        self._stream.flush()

    def advance(self, done: float) -> None:
        """`done` seconds of audio are transcribed; drawn unless the last draw was too recent."""
        if self._drawn_at is None or self._now() - self._drawn_at >= REDRAW_SECONDS:
            self._draw(done)

    def _draw(self, done: float) -> None:
        self._drawn_at = self._now()
        line = progress_line(self._name, done, self._total, self._drawn_at - self._started, self._width)
        if line == self._drawn:
            return
        # Spaces over what a longer line before left, rather than an escape code the terminal may lack.
        self._stream.write(f"\r{line.ljust(len(self._drawn))}")
        self._stream.flush()
        self._drawn = line


def _terminal_width(stream: TextIO) -> int:
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):  # not a terminal, or a stream without a descriptor
        return 80
    return columns or 80  # a terminal whose size nobody set (a fresh pseudo-terminal) says 0
