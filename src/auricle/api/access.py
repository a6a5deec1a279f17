"""The end of every HTTP request: its one access line, and its count in the metrics.

Auricle writes its own access line (uvicorn's is off) so that it can carry the request id, the model and
the audio's length. It names the path and never the query string, the body or any header: no audio,
transcript, prompt, file name or key can reach it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from auricle.api.context import RequestFacts
from auricle.api.metrics import Metrics

logger = logging.getLogger("auricle.access")

OTHER = "other"
"""The `route` of a request no route matched, and the `method` of one no route serves: a label value that
a client can vary without bound would let it grow the metrics without bound."""
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Probes and scrapers call these every few seconds; their lines are for debugging only.
_QUIET_ROUTES = frozenset({"/health", "/ready", "/metrics"})
_MAX_PATH = 200
_CONVERTOR = re.compile(r"\{(\w+):\w+\}")


def route_template(scope: Mapping[str, Any]) -> str:
    """The path template of the route that served the request (`/v1/models/{model_id}`), or `other`.

    The route routing chose holds its template, but a route of an included router may hold it without
    the router's prefix (newer FastAPI): the prefix is then the part of the path before what the route
    matched, a prefix the app itself configured, since routing took this route.
    """
    route = scope.get("route")
    template, pattern = getattr(route, "path", None), getattr(route, "path_regex", None)
    if not isinstance(template, str) or pattern is None:
        return OTHER
    path = str(scope.get("path", ""))
    path = path.removeprefix(str(scope.get("root_path", "")))
    for cut, char in enumerate(path):
        if char == "/" and pattern.match(path[cut:]):
            return _CONVERTOR.sub(r"{\1}", path[:cut] + template)
    return OTHER


class AccessLog:
    def __init__(self, metrics: Metrics | None) -> None:
        self._metrics = metrics

    def record(self, scope: Mapping[str, Any], facts: RequestFacts, status: int, seconds: float) -> None:
        route = route_template(scope)
        method = scope["method"] if scope["method"] in _METHODS else OTHER
        if self._metrics is not None:
            self._metrics.request(route, method, status, facts.model, seconds)
        fields: dict[str, Any] = {
            "request_id": facts.request_id,
            "method": method,
            "route": route,
            "status": status,
            "processing_ms": round(seconds * 1000),
        }
        message = f"{method} {_path(scope)} {status} {facts.request_id}"
        if facts.model is not None:
            fields |= {"model": facts.model, "audio_seconds": round(facts.audio_seconds, 3)}
            message += f" model={facts.model} audio_seconds={facts.audio_seconds:.2f}"
        message += f" processing_ms={fields['processing_ms']}"
        quiet = route in _QUIET_ROUTES and status < 400
        logger.log(logging.DEBUG if quiet else logging.INFO, "%s", message, extra=fields)


def _path(scope: Mapping[str, Any]) -> str:
    """The path as the client sent it, percent-encoded, so that no control character reaches a text log."""
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else str(scope.get("path", ""))
    return path[:_MAX_PATH].encode("unicode_escape").decode("ascii")
