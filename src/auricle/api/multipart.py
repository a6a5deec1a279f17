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


class FileWithoutFilename(InvalidRequest):
    def __init__(self) -> None:
        super().__init__(
            "The 'file' part has no filename, so it was sent as a text field. "
            "Send the audio as a file part, e.g. curl -F file=@audio.mp3.",
            param="file",
            code="invalid_value",
        )


class TextNotUtf8(InvalidRequest):
    def __init__(self, field: str) -> None:
        super().__init__(
            f"Invalid value for '{field}': the text is not valid UTF-8.", param=field, code="invalid_value"
        )


class _Refused(MultiPartException):
    """Raised inside Starlette's parser, which then closes every spooled file; carries our error out."""

    def __init__(self, error: InvalidRequest) -> None:
        super().__init__(error.message)
        self.error = error


class _WholeBodyParser(MultiPartParser):
    """Starlette's parser, which also refuses a body that stops before its closing boundary.

    Starlette returns the parts read so far, silently dropping the cut-off one and leaving its file open.
    """

    def __init__(self, request: Request) -> None:
        super().__init__(request.headers, request.stream(), max_files=MAX_FILES, max_fields=MAX_FIELDS)
        self.reached_end = False

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        # Checked on the first bytes, before Starlette's 1 MB limit on text parts hides the real mistake.
        if self._current_part.file is None and self._current_part.field_name == "file":
            raise _Refused(FileWithoutFilename())
        super().on_part_data(data, start, end)

    def on_part_end(self) -> None:
        part = self._current_part
        # Starlette would quietly read bad UTF-8 as Latin-1 and hand the model a garbled prompt.
        if part.file is None and self._charset == "utf-8":
            try:
                bytes(part.data).decode("utf-8")
            except UnicodeDecodeError:
                raise _Refused(TextNotUtf8(part.field_name)) from None
        super().on_part_end()

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
    except _Refused as refused:
        raise refused.error from None
    except MultiPartException as error:
        raise InvalidRequest(f"Invalid multipart body: {error.message}", code="invalid_multipart") from None
    try:
        yield form
    finally:
        await form.close()
