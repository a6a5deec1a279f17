"""`auricle serve --ray ADDRESS`: deploy Auricle onto a running Ray cluster, hold it, take it down."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import ray
from ray import serve

from auricle.cluster.app import APP_NAME, ClusterOptions, application
from auricle.config import Settings

logger = logging.getLogger(__name__)


def serve_on_ray(settings: Settings, address: str, options: ClusterOptions) -> int:
    """Deploys the app, blocks until SIGTERM or SIGINT, then deletes this app only (never Serve, which
    other applications on the cluster may be using) and disconnects."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("signal %d: taking %r down", signum, APP_NAME)
        stop.set()

    ray.init(address=address, logging_level=logging.WARNING)
    try:
        # Fixed at Serve's first start on a cluster: a later one only logs that they were not applied.
        serve.start(proxy_location="EveryNode", http_options={"host": settings.host, "port": settings.port})
        # Returns once every replica is RUNNING: started, with its models loaded.
        serve.run(application(settings, options), name=APP_NAME, route_prefix="/")
        logger.info("serving %r on Ray at http://%s:%d", APP_NAME, settings.host, settings.port)
        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        while not stop.wait(1.0):  # a timed wait, so the handlers run promptly
            pass
        serve.delete(APP_NAME)
    finally:
        ray.shutdown()
    return 0
