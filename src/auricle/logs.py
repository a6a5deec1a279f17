"""How the service's log lines look: text for a terminal (the default) or JSON for a log pipeline."""

from __future__ import annotations

import logging

from auricle.config import Settings


def configure_logging(settings: Settings) -> None:
    level = settings.log_level.upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # faster-whisper logs every request's duration at INFO; that is noise in a service's log.
    logging.getLogger("faster_whisper").setLevel(level if level == "DEBUG" else logging.WARNING)
