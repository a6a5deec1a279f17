"""Reading a request's multipart body: whole, within bounds, and with its spooled files always closed.

Uploads spool to `tempfile.SpooledTemporaryFile`: memory up to 1 MB, then an unnamed file (O_TMPFILE on
Linux) that no other process can open and that vanishes with its descriptor, even if the server is
killed. Audio is never written anywhere else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Request
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException, MultiPartParser

from auricle.errors import InvalidRequest

MAX_FIELDS = 64
MAX_FILES = 4


class _WholeBodyParser(MultiPartParser):
    """Starlette's parser, which also refuses a body that stops before its closing boundary.

    Starlette returns the parts read so far, silently dropping the cut-off one and leaving its file open.
    """

    def __init__(self, request: Request) -> None:
        super().__init__(request.headers, request.stream(), max_files=MAX_FILES, max_fields=MAX_FIELDS)
        self.reached_end = False

    def on_end(self) -> None:
        self.reached_end = True

    async def parse(self) -> FormData:
        form = await super().parse()
        if not self.reached_end:
            for file in self._files_to_close_on_error:
                file.close()
            raise InvalidRequest(
                "The multipart body ends before its closing boundary: the upload is incomplete.",
                code="invalid_multipart",
            )
        return form


@asynccontextmanager
async def multipart_form(request: Request) -> AsyncIterator[FormData]:
    """The request's multipart form, closed (its spooled files deleted) on every path."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise InvalidRequest(
            f"Expected a multipart/form-data body, got content type '{content_type or 'none'}'.",
            code="invalid_content_type",
        )
    try:
        form = await _WholeBodyParser(request).parse()
    except MultiPartException as error:
        raise InvalidRequest(f"Invalid multipart body: {error.message}", code="invalid_multipart") from None
    try:
        yield form
    finally:
        await form.close()
