"""A speech answer's bytes, made on the synthesizer's threads as the client takes them.

The next piece is read while the last one is encoded, on threads of their own: mp3 costs 6.4 ms of CPU
per second of audio here, against hibari's 7-14 ms, and PyAV's encoder lets go of the GIL, so a free core
takes the encoding off the synthesis' path. (On the shared 2-core machine at load average 6 it measured
1.28 s against 1.36 s in turn for 73 s of mp3: no core was free.) Only one piece is ever read ahead, so a
client that reads slowly, or leaves, holds back or stops the synthesis after at most that piece.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor

import anyio

from auricle.synthesis.protocol import Samples
from auricle.synthesis.rendition import Rendition


class SpeechStream:
    def __init__(self, readers: Executor, encoders: Executor, rendition: Rendition) -> None:
        self._readers = readers
        self._encoders = encoders
        self._rendition = rendition
        self._ahead: asyncio.Future[Samples | None] | None = None
        self._finished = False

    async def next_bytes(self) -> bytes | None:
        """The next bytes to send (maybe empty, for a piece that made no sound), or None at the end."""
        if self._finished:
            return None
        loop = asyncio.get_running_loop()
        if self._ahead is None:
            self._ahead = loop.run_in_executor(self._readers, self._rendition.read_next)
        samples = await self._ahead
        self._ahead = None
        if samples is not None:
            self._ahead = loop.run_in_executor(self._readers, self._rendition.read_next)
        else:
            self._finished = True
        return await loop.run_in_executor(self._encoders, self._rendition.encode, samples)

    async def close(self) -> None:
        """Waits for a piece read ahead, so the request's place is given back only once its work is over."""
        ahead, self._ahead = self._ahead, None
        self._finished = True
        if ahead is not None:
            with anyio.CancelScope(shield=True):
                await asyncio.wait((ahead,))
            if not ahead.cancelled():
                ahead.exception()  # retrieved, so that asyncio does not log it as never retrieved
