"""How the service's log lines look: text for a terminal (the default) or JSON for a log pipeline.

JSON is one object per line: `time` (ISO 8601, UTC), `level`, `logger`, `message`, the request id of the
request being served when there is one, the access line's fields (`ACCESS_FIELDS`, passed as `extra=`),
and `exc` with the traceback. What goes in is what the code logs: Auricle never logs audio, transcripts,
prompts or keys, so neither format can hold them.
"""

from __future__ import annotations

import copy
import json
import logging
import logging.config
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from auricle.config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ACCESS_FIELDS = ("request_id", "method", "route", "model", "status", "audio_seconds", "processing_ms")
"""What an access line carries beside its message, as `extra=` (`api/access.py`)."""

# Which request the code running now serves: asyncio copies it into the tasks and threads
# (`asyncio.to_thread`) a request starts, so every line logged on its behalf can name it.
_request_id: ContextVar[str | None] = ContextVar("auricle_request_id", default=None)


@contextmanager
def request_context(request_id: str) -> Iterator[None]:
    """Lines logged inside carry `request_id` (in JSON)."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or _request_id.get()
        if request_id is not None:
            entry["request_id"] = request_id
        for name in ACCESS_FIELDS[1:]:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # `default=str`: an odd argument must never cost the line; JSON escapes any newline in it.
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(settings: Settings) -> None:
    level = settings.log_level.upper()
    handler = logging.StreamHandler()
    json_lines = settings.log_format == "json"
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    # faster-whisper logs every request's duration at INFO; that is noise in a service's log.
    logging.getLogger("faster_whisper").setLevel(level if level == "DEBUG" else logging.WARNING)
    _configure_uvicorn(json_lines)


def _configure_uvicorn(json_lines: bool) -> None:
    """`auricle serve` runs uvicorn with `log_config=None`, so uvicorn's own lines are set up here.

    In JSON they go to the root handler like every other line; as text they keep uvicorn's own look
    ("INFO:     Started server process"), as they always had.
    """
    from uvicorn.config import LOGGING_CONFIG

    if json_lines:
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            logging.getLogger(name).handlers.clear()
            logging.getLogger(name).propagate = True
        return
    logging.config.dictConfig(copy.deepcopy(LOGGING_CONFIG))
