"""How many live sessions a server holds at once: one more is refused, rather than all falling behind.

A live session has to keep up with its speaker. A file request that waits in the queue only finishes
later; a live session that waits falls further behind with every second spoken, and so does every other
session sharing the workers. So sessions are counted, and one beyond the limit is refused at connect
time with a clear error, and the client can try again later or elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from auricle.errors import Busy


class Seats:
    def __init__(self, limit: int, retry_after_seconds: int) -> None:
        self.limit = limit
        self.taken = 0
        self._retry_after = retry_after_seconds

    @contextmanager
    def seat(self) -> Iterator[None]:
        """A seat for one session, held until it ends; `Busy` at once when there is none.

        Only the event loop's thread takes and gives seats, so the count needs no lock.
        """
        if self.limit == 0:
            off = "Live transcription is turned off on this server."
            raise Busy(off, retry_after_seconds=self._retry_after)
        if self.taken >= self.limit:
            raise Busy(
                f"This server is already transcribing {self.limit} live sessions, its limit. "
                f"Please try again in {self._retry_after}s.",
                retry_after_seconds=self._retry_after,
            )
        self.taken += 1
        try:
            yield
        finally:
            self.taken -= 1
