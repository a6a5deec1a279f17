"""GET / (the web page) and its files under /web/: served without a key, since the page holds nothing;
the API calls it makes carry the key the person enters."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from auricle.engine.languages import LANGUAGE_NAMES, REQUEST_LANGUAGES
from auricle.errors import NotFound
from auricle.web import assets

router = APIRouter(include_in_schema=False)

# The page runs only its own scripts and talks only to this server (fetch and the realtime WebSocket);
# recordings play from blob: URLs.
_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self' blob:; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
}


@router.get("/")
async def page() -> Response:
    return _served("index.html")


@router.get("/web/languages.json")
async def languages() -> JSONResponse:
    """The languages a request may name, ISO-639-1 code -> name, in the order of the names."""
    codes = sorted(REQUEST_LANGUAGES, key=lambda code: LANGUAGE_NAMES[code])
    return JSONResponse({code: LANGUAGE_NAMES[code].title() for code in codes}, headers=_HEADERS)


@router.get("/web/{name}")
async def asset(name: str) -> Response:
    return _served(name)


def _served(name: str) -> Response:
    try:
        found = assets.read(name)
    except KeyError:
        raise NotFound(f"There is no page file named {name!r}.") from None
    return Response(found.body, media_type=found.media_type, headers=_HEADERS)
