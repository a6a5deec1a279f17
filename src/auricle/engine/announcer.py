"""The segments of a recording's parts told to a listener in order, as soon as they are final.

Parts (spans of speech) are transcribed side by side and finish in any order; a stream must still say
its text in the order it was spoken, and never take back what it said. So a part's segments are told
once they, and every part before them, are done and final. A part that is done but not final (one whose
language waits on the rest of the recording, `spoken_language.py`) holds back itself and everything
after it, until the caller tells the rest at the end.
"""

from __future__ import annotations

from collections.abc import Sequence

from auricle.engine.protocol import FinalSegments
from auricle.engine.transcript import Segment


class Announcer:
    def __init__(self, on_final: FinalSegments | None) -> None:
        self._on_final = on_final
        self._waiting: dict[int, Sequence[Segment] | None] = {}
        self.told = 0
        """How many parts, from the first, have been told."""

    @property
    def listened_to(self) -> bool:
        return self._on_final is not None

    def done(self, index: int, segments: Sequence[Segment], *, final: bool) -> None:
        """Part `index` is transcribed; `final` when its text can no longer change."""
        self._waiting[index] = segments if final else None
        while self._waiting.get(self.told) is not None:
            self._tell(self._waiting.pop(self.told) or ())
            self.told += 1

    def rest(self, segments: Sequence[Segment]) -> None:
        """The segments of every part not told yet, now final: told, and nothing after them."""
        self._tell(segments)
        self._on_final = None

    def _tell(self, segments: Sequence[Segment]) -> None:
        if segments and self._on_final is not None:
            self._on_final(segments)
