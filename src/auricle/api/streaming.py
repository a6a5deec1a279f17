"""`stream=true`: a transcription as Server-Sent Events, each piece of text sent as soon as it is final.

The response starts once the audio is decoded and recognition has begun, so whatever is wrong with the
request (an unknown model, a full queue, a file that is not audio) is still an ordinary HTTP error that
the SDKs raise from `create()`. After that, a failure is one `error` event and the end of the stream.
A client that goes away stops the work, before the response starts and after (Starlette cancels the
body when the client disconnects).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

import anyio
from fastapi import Request
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from auricle.accounts.usage import Usage
from auricle.api.context import request_id
from auricle.api.disconnect import until_disconnected
from auricle.api.errors import auricle_error_envelope, envelope, unexpected_error_message
from auricle.engine.transcript import Segment, Transcript
from auricle.errors import AuricleError, TimedOut
from auricle.formats import events
from auricle.formats.bodies import Details

logger = logging.getLogger(__name__)

Work = Callable[..., Awaitable[Transcript]]
"""Transcribes with `progress=` told how it gets on."""
# Proxies (nginx) buffer a response unless told not to, which would hold every delta back to the end.
_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}


class _Feed:
    """The request's `Progress`, told on the model's threads and read on the event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.began = asyncio.Event()
        self.segments: asyncio.Queue[Sequence[Segment]] = asyncio.Queue()

    def started(self) -> None:
        self._loop.call_soon_threadsafe(self.began.set)

    def final(self, segments: Sequence[Segment]) -> None:
        self._loop.call_soon_threadsafe(self.segments.put_nowait, tuple(segments))


async def stream(
    request: Request, work: Work, timeout_seconds: float, details: Details, usage: Usage | None = None
) -> StreamingResponse:
    """Starts `work`, and answers with its events once its audio is decoded; raises what it raised
    before then. `details`: what the events report beyond the text. `usage`, once the response starts,
    is settled by the stream: completed before `done` is sent, or what was delivered if the client left."""
    feed = _Feed(asyncio.get_running_loop())
    job = asyncio.ensure_future(_within(work(progress=feed), timeout_seconds))
    try:
        await until_disconnected(request.receive, _begun(feed, job))
    except BaseException:
        await _stopped(job)
        raise
    # The start is told before anything the work does after it, so a failure with the start unset came
    # before the first byte.
    if not feed.began.is_set() and (failure := job.exception()) is not None:
        raise failure
    usage = usage or Usage()
    usage.handed_off = True
    body = _events(feed, job, request_id(request.scope), details, usage)
    # Also after a client that left before the first event, whose body is then never started.
    stop = BackgroundTask(_stopped, job, usage)
    return StreamingResponse(body, media_type=events.MEDIA_TYPE, headers=_HEADERS, background=stop)


async def _begun(feed: _Feed, job: asyncio.Future[Transcript]) -> None:
    began = asyncio.ensure_future(feed.began.wait())
    try:
        await asyncio.wait((began, job), return_when=asyncio.FIRST_COMPLETED)
    finally:
        began.cancel()


async def _within(work: Awaitable[Transcript], seconds: float) -> Transcript:
    try:
        async with asyncio.timeout(seconds):
            return await work
    except TimeoutError:
        raise TimedOut(seconds) from None


async def _events(
    feed: _Feed, job: asyncio.Future[Transcript], rid: str, details: Details, usage: Usage
) -> AsyncIterator[bytes]:
    deltas = events.Deltas(details)
    delivered = 0.0
    try:
        while (segments := await _next(feed, job)) is not None:
            if delta := deltas.add(segments):
                yield events.encode(delta)
                # Resumed only once the event was sent: what a client that leaves now has had.
                delivered = max([delivered, *(segment.end for segment in segments)])
        transcript = job.result()
        if delta := deltas.rest(transcript):
            yield events.encode(delta)
        await usage.complete()
        yield events.encode(events.done(transcript, details))
    except AuricleError as error:
        await usage.fail()
        yield events.encode(events.error(auricle_error_envelope(error)))
    except Exception:
        logger.exception("stream of request %s failed", rid)
        await usage.fail()
        yield events.encode(events.error(envelope(unexpected_error_message(rid), "server_error")))
    finally:
        await usage.cancel(delivered)
        await _stopped(job)


async def _next(feed: _Feed, job: asyncio.Future[Transcript]) -> Sequence[Segment] | None:
    """The next run of final segments, or None once the work is over and every run has been read.

    The work's end and its runs reach the loop in the order the model's threads told them, so once the
    work is done every run it told is already queued.
    """
    while feed.segments.empty():
        if job.done():
            return None
        getter = asyncio.ensure_future(feed.segments.get())
        await asyncio.wait((getter, job), return_when=asyncio.FIRST_COMPLETED)
        if getter.done():
            return getter.result()
        getter.cancel()
    return feed.segments.get_nowait()


async def _stopped(job: asyncio.Future[Transcript], usage: Usage | None = None) -> None:
    """Stops `job` if it still runs, and waits until it has let go of its worker, even while the
    caller itself is being cancelled (a client that went away); a `usage` not yet settled is cancelled,
    with nothing delivered."""
    if usage is not None:
        await usage.cancel()
    if job.done():
        if not job.cancelled():
            job.exception()  # retrieved, so that asyncio does not log it as never retrieved
        return
    job.cancel()
    with anyio.CancelScope(shield=True):
        await asyncio.wait((job,))
