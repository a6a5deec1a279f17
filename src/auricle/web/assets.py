"""The page's files, read from the package, with the media type each is served as."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    media_type: str


@cache
def names() -> tuple[str, ...]:
    """Every file the page is made of; nothing else under `static/` can be asked for. Listed once: the
    package's files do not change while it runs, and every page request would otherwise list them."""
    folder = resources.files(__package__).joinpath("static")
    return tuple(sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(tuple(MEDIA_TYPES))))


def read(name: str) -> Asset:
    """One of `names()`; raises KeyError for anything else, a path included."""
    if name not in names():
        raise KeyError(name)
    body = resources.files(__package__).joinpath("static", name).read_bytes()
    return Asset(body, MEDIA_TYPES["." + name.rsplit(".", 1)[1]])
