"""Work done for a client stops when the client goes away.

Starlette never cancels a handler whose client has disconnected, so a request abandoned by its client
(a closed browser tab, an SDK timeout that is about to retry) would keep its worker busy to the end.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

from fastapi import FastAPI, Request, Response
from starlette.requests import ClientDisconnect
from starlette.types import Receive

from auricle.api.context import request_id

logger = logging.getLogger(__name__)

T = TypeVar("T")

# nginx's status for "the client closed the request": it never reaches the client, only the access log.
CLIENT_CLOSED_REQUEST = 499


class ClientDisconnected(Exception):
    """The client went away after its upload, while its request was waiting or being worked on."""


async def until_disconnected(receive: Receive, work: Coroutine[Any, Any, T]) -> T:
    """Runs `work` to its end, or cancels it (and waits until it has let go) when the client leaves.

    Call it only once the body has been read: from then on the server's next message is the disconnect.
    """
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_disconnected(receive))
    try:
        await asyncio.wait((task, watcher), return_when=asyncio.FIRST_COMPLETED)
    finally:
        # Reached on every path, the caller's own cancellation (a time limit) included.
        watcher.cancel()
        if not task.done():
            task.cancel()
            # Waiting lets the work release its slot before the caller answers.
            await asyncio.wait((task,))
    if task.cancelled():
        raise ClientDisconnected
    return task.result()


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _on_disconnect(request: Request, error: Exception) -> Response:
    stage = "during its upload" if isinstance(error, ClientDisconnect) else "before its answer"
    rid = request_id(request.scope)
    logger.info("client of request %s disconnected %s; its work was stopped", rid, stage)
    return Response(status_code=CLIENT_CLOSED_REQUEST)


def install_disconnect_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ClientDisconnected, _on_disconnect)
    app.add_exception_handler(ClientDisconnect, _on_disconnect)
