"""An app served by uvicorn on a thread of the test process: real sockets, with a fake engine inside."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from tests.support.server import free_port


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """Serves `app` (lifespan included) on 127.0.0.1; yields its base URL as `ws://host:port`."""
    port = free_port()
    # The sans-I/O WebSocket protocol, as `auricle serve` runs: the older one is deprecated.
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.01)
    try:
        yield f"ws://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
