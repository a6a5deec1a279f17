"""The exact answers the real app owes to malformed requests, and the one way to send and check them.

The malformed-request corpus is split across test modules by what is wrong with the request; they share
this module so every one of them judges an answer by the same rules: OpenAI's error envelope to the letter,
or a 200 holding the right words, and after each case a normal recording that still transcribes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx2
from fastapi import FastAPI

from tests.support.text import normalize

TRANSCRIPTIONS = "/v1/audio/transcriptions"
TRANSLATIONS = "/v1/audio/translations"
# The English-only tiny model transcribes jfk in a fraction of the time base takes.
FAST_MODEL = "tiny.en"
JFK_WORDS = "ask not what your country"
JFK_START = "fellow americans"  # what the first seconds of jfk.flac say
Fields = Mapping[str, str | bytes]
Make = Callable[[Path], bytes]


@dataclass(frozen=True)
class Rejected:
    """The exact error a request must get; ``message`` is a stable part of the message."""

    status: int
    code: str | None
    param: str | None
    message: str
    type: str = "invalid_request_error"


UNDECODABLE = Rejected(400, "invalid_value", "file", "Audio file might be corrupted or unsupported")
NO_AUDIO = Rejected(400, "invalid_value", "file", "contains no audio stream")
TOO_SHORT = Rejected(400, "audio_too_short", "file", "Audio file is too short")
NOT_MULTIPART = Rejected(400, "invalid_content_type", None, "Expected a multipart/form-data body")


def asgi_client(app: FastAPI) -> httpx2.AsyncClient:
    """A client that calls ``app`` in process, patient enough for a real model on a slow machine."""
    return httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app), base_url="http://auricle.test", timeout=120
    )


async def post(
    http: httpx2.AsyncClient,
    audio: bytes,
    *,
    filename: str | None = "audio",
    content_type: str = "application/octet-stream",
    fields: Fields | None = None,
    path: str = TRANSCRIPTIONS,
) -> httpx2.Response:
    """One multipart request with ``audio`` as its ``file`` part, by default to the fast model."""
    data = {"model": FAST_MODEL} if fields is None else fields
    return await http.post(path, files={"file": (filename, audio, content_type)}, data=data)


def assert_rejected(response: httpx2.Response, expected: Rejected) -> None:
    assert response.status_code == expected.status, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == expected.type
    assert error["param"] == expected.param
    assert error["code"] == expected.code
    assert expected.message in error["message"]
    if 400 <= expected.status < 500:
        assert response.headers["x-should-retry"] == "false"


def assert_says(response: httpx2.Response, words: str) -> None:
    assert response.status_code == 200, response.text
    assert normalize(words) in normalize(response.json()["text"])


async def assert_still_transcribes(http: httpx2.AsyncClient, audio: bytes) -> None:
    """The app still transcribes a normal recording (jfk): the case before broke or leaked nothing."""
    response = await post(http, audio)
    assert response.status_code == 200, response.text
    assert JFK_WORDS in response.json()["text"].lower()
