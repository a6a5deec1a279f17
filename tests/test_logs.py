"""Log lines: text by default, as they always looked; with AURICLE_LOG_FORMAT=json, one JSON object a line."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys

from auricle.logs import JsonFormatter, request_context

# Logs a plain line, one inside a request's context, an access line, an exception, and uvicorn's own line.
SCRIPT = """
import logging
from auricle.config import Settings
from auricle.logs import configure_logging, request_context

configure_logging(Settings())
logging.getLogger("auricle.api.app").info("models ready: %s", "base")
with request_context("req_0123"):
    logging.getLogger("auricle.api.disconnect").info("client of request went away")
fields = {"request_id": "req_0123", "method": "POST", "route": "/v1/audio/transcriptions", "model": "base",
          "status": 200, "audio_seconds": 11.0, "processing_ms": 812}
logging.getLogger("auricle.access").info("POST /v1/audio/transcriptions 200", extra=fields)
try:
    raise ValueError("broken")
except ValueError:
    logging.getLogger("auricle.api.middleware").exception("unexpected error in request %s", "req_0123")
logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
"""


def run_script(**environment: str) -> list[str]:
    env = {**os.environ, **{f"AURICLE_{name.upper()}": value for name, value in environment.items()}}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout == ""
    return result.stderr.splitlines()


def record(message: str, *, level: int = logging.INFO, **extra: object) -> logging.LogRecord:
    entry = logging.LogRecord("auricle.test", level, __file__, 1, message, (), None)
    entry.__dict__.update(extra)
    return entry


def test_json_is_one_object_a_line_with_every_field() -> None:
    lines = run_script(log_format="json")
    entries = [json.loads(line) for line in lines]  # every line is JSON
    assert [entry["logger"] for entry in entries] == [
        "auricle.api.app",
        "auricle.api.disconnect",
        "auricle.access",
        "auricle.api.middleware",
        "uvicorn.error",
    ]
    for entry in entries:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])
        assert entry["level"] in {"INFO", "ERROR"}
    ready, inside, access, failure, uvicorn = entries
    assert ready["message"] == "models ready: base"
    assert "request_id" not in ready
    assert inside["request_id"] == "req_0123"
    assert access == {
        "time": access["time"],
        "level": "INFO",
        "logger": "auricle.access",
        "message": "POST /v1/audio/transcriptions 200",
        "request_id": "req_0123",
        "method": "POST",
        "route": "/v1/audio/transcriptions",
        "model": "base",
        "status": 200,
        "audio_seconds": 11.0,
        "processing_ms": 812,
    }
    assert failure["level"] == "ERROR"
    assert failure["exc"].startswith("Traceback (most recent call last)")
    assert "ValueError: broken" in failure["exc"]
    assert uvicorn["message"] == "Started server process [42]"


def test_text_stays_the_default_and_looks_as_before() -> None:
    lines = run_script()
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"
    assert re.fullmatch(stamp + r" INFO auricle\.api\.app: models ready: base", lines[0])
    assert re.fullmatch(stamp + r" INFO auricle\.access: POST /v1/audio/transcriptions 200", lines[2])
    assert "Traceback (most recent call last):" in lines
    assert lines[-1] == "INFO:     Started server process [42]"  # uvicorn's own look
    assert not any(line.startswith("{") for line in lines)


def test_the_formatter_escapes_what_it_is_given_into_one_line() -> None:
    line = JsonFormatter().format(record("first\nsecond \u00e9", route=None, odd=object()))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "first\nsecond \u00e9"
    assert "route" not in entry  # fields left unset are left out


def test_the_request_context_names_the_request_until_it_ends() -> None:
    formatter = JsonFormatter()
    with request_context("req_inside"):
        inside = json.loads(formatter.format(record("working")))
    outside = json.loads(formatter.format(record("idle")))
    assert inside["request_id"] == "req_inside"
    assert "request_id" not in outside
