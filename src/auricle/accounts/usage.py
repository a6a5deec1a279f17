"""One request's usage as the serving code sees it: reserve when the audio is decoded, settle once.

`Usage` wraps a `Meter` and the request's `Ticket` (or nothing, on a server that meters nothing), keeps
the ticket's lease alive while the request runs, and runs every database call on a thread so the event
loop never waits on the store. The speech endpoint and realtime turns use it the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable

import anyio

from auricle.accounts.errors import StoreUnavailable
from auricle.accounts.meter import Meter, Ticket
from auricle.engine.protocol import SAMPLE_RATE, Samples

logger = logging.getLogger(__name__)
Observer = Callable[[Ticket, str, int], None]
"""Told each settlement once: the ticket, its status and the milliseconds billed (metrics)."""


def billed_ms(seconds: float) -> int:
    """An HTTP request is billed in whole seconds, rounded up, as its `usage.seconds` says."""
    return math.ceil(max(0.0, seconds) - 1e-9) * 1000


class Usage:
    def __init__(
        self, meter: Meter | None = None, ticket: Ticket | None = None, observer: Observer | None = None
    ) -> None:
        self.meter = meter
        self.ticket = ticket
        self._observer = observer
        self.handed_off = False
        """Set by whoever takes over settling (a stream settles when its last event is sent)."""
        self._heartbeat: asyncio.Task[None] | None = None
        self._characters = 0

    @property
    def metered(self) -> bool:
        return self.meter is not None and self.ticket is not None

    def set_model(self, model: str) -> None:
        if self.ticket is not None:
            self.ticket.model = model

    def reserve_samples(self, samples: Samples) -> Samples:
        """Holds the price of the decoded audio (on the worker's thread), or raises `QuotaExceeded`."""
        if self.meter is not None and self.ticket is not None:
            self.meter.reserve(self.ticket, audio_ms=billed_ms(len(samples) / SAMPLE_RATE))
        return samples

    def reserve_characters(self, characters: int) -> None:
        """For speech synthesis: holds the price of `characters` of input before any is synthesised."""
        if self.meter is not None and self.ticket is not None:
            self.meter.reserve(self.ticket, characters=characters)
        self._characters = characters

    def reserving(self, decode: Callable[[], Samples]) -> Callable[[], Samples]:
        return lambda: self.reserve_samples(decode())

    def start(self, longest_seconds: float) -> None:
        """Keeps the lease alive while the request runs, for at most `longest_seconds` (its time limit),
        so that a request that somehow never settles still gives its slot back."""
        if self.meter is not None and self.ticket is not None and self._heartbeat is None:
            self._heartbeat = asyncio.ensure_future(_renew(self.meter, self.ticket, longest_seconds))

    async def complete(self) -> None:
        """Everything was delivered: bills what was reserved."""
        await self._settle("completed", self.ticket.hold_ms if self.ticket else 0)

    async def cancel(self, delivered_seconds: float = 0.0) -> None:
        """The client left: bills what it was sent (rounded up to whole seconds)."""
        await self._settle(
            "cancelled", min(billed_ms(delivered_seconds), self.ticket.hold_ms if self.ticket else 0)
        )

    async def fail(self) -> None:
        await self._settle("failed", 0)

    async def _settle(self, status: str, ms: int) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        if self.meter is None or self.ticket is None or self.ticket.settled:
            return
        meter, ticket = self.meter, self.ticket
        # A client that goes away cancels the request; its settlement must still happen.
        with anyio.CancelScope(shield=True):
            try:
                characters = self._characters if status == "completed" else 0
                recorded = await asyncio.to_thread(
                    meter.settle, ticket, status, billed_ms=ms, characters=characters
                )
            except StoreUnavailable:
                if status == "completed":
                    raise  # the answer is not given unless it was counted
                # Nothing is charged for it: its lease runs out and gives the hold back.
                logger.warning(
                    "could not record a %s request (%s): the database is unreachable", status, ticket.usage_id
                )
                return
        if recorded and self._observer is not None:
            self._observer(ticket, status, ms)


async def _renew(meter: Meter, ticket: Ticket, longest_seconds: float = math.inf) -> None:
    until = time.monotonic() + longest_seconds
    while time.monotonic() < until:
        await asyncio.sleep(meter.lease_seconds / 3)
        with contextlib.suppress(StoreUnavailable):  # the next renewal may find it back
            await asyncio.to_thread(meter.renew, ticket)


class SessionUsage:
    """A realtime session: admitted once (it takes one in-flight slot), each turn recorded when its
    transcript is sent, to the millisecond (many short turns are not each rounded up)."""

    def __init__(self, meter: Meter, ticket: Ticket) -> None:
        self.meter = meter
        self.ticket = ticket
        self._heartbeat = asyncio.ensure_future(_renew(meter, ticket))

    async def turn(self, model: str, seconds: float) -> bool:
        """Records a turn; False when the key has nothing left, and the session should end."""
        self.ticket.model = model
        ms = max(0, round(seconds * 1000))
        with anyio.CancelScope(shield=True):
            more = await asyncio.to_thread(self.meter.record, self.ticket, billed_ms=ms)
        return more

    async def end(self) -> None:
        self._heartbeat.cancel()
        with anyio.CancelScope(shield=True):
            await asyncio.to_thread(self.meter.release, self.ticket)
