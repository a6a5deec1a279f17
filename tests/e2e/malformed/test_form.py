"""Requests whose form is the problem, against the real app on the real models.

Clients get the envelope wrong as often as the audio: a missing or doubled file part, a field value the API
does not know, a body that is JSON or a broken multipart, a translation the model cannot make. Each case
checks the exact OpenAI error a client's SDK will parse, and after it the same app must still transcribe
a normal recording, so no bad form leaves the service broken behind it.
"""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest

from tests.support.containers import png_image
from tests.support.malformed import speech, wav
from tests.support.rejections import (
    FAST_MODEL,
    NO_AUDIO,
    NOT_MULTIPART,
    TRANSCRIPTIONS,
    TRANSLATIONS,
    UNDECODABLE,
    Fields,
    Make,
    Rejected,
    assert_rejected,
    post,
)

pytestmark = [pytest.mark.anyio, pytest.mark.model]


# --- the shape of the form ---------------------------------------------------------------------------------


async def test_form_without_file_is_rejected(http: httpx2.AsyncClient) -> None:
    response = await http.post(TRANSCRIPTIONS, data={"model": FAST_MODEL}, files={"upload": ("a.wav", b"x")})
    assert_rejected(response, Rejected(400, "missing_required_parameter", "file", "'file'"))


async def test_two_files_are_rejected(http: httpx2.AsyncClient, jfk_flac: bytes) -> None:
    files = [("file", ("a.flac", jfk_flac)), ("file", ("b.flac", jfk_flac))]
    response = await http.post(TRANSCRIPTIONS, data={"model": FAST_MODEL}, files=files)
    assert_rejected(response, Rejected(400, "invalid_value", "file", "Expected one 'file' part, got 2"))


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda jfk: wav(speech(jfk, 8000), 8000), id="small"),
        # Over the 1 MB that a text part may hold: the advice must not turn into a size complaint.
        pytest.param(lambda jfk: jfk.read_bytes(), id="over-1mb"),
    ],
)
async def test_file_part_without_filename_is_explained(
    http: httpx2.AsyncClient, jfk: Path, make: Make
) -> None:
    response = await post(http, make(jfk), filename=None)
    assert_rejected(response, Rejected(400, "invalid_value", "file", "has no filename"))


# --- every invalid value of every field --------------------------------------------------------------------


def _field(name: str, value: str | bytes, expected: Rejected, case: str) -> object:
    return pytest.param({name: value}, expected, id=f"{name}-{case}")


def _bad_language(value: str) -> object:
    expected = Rejected(400, "invalid_language_format", "language", f"Invalid language '{value}'")
    return _field("language", value, expected, value)


def _bad_format(value: str) -> object:
    expected = Rejected(400, "invalid_value", "response_format", f"Invalid value: '{value}'")
    return _field("response_format", value, expected, value)


def _bad_temperature(value: str, code: str, message: str) -> object:
    return _field("temperature", value, Rejected(400, code, "temperature", message), value)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # Clients send an empty value to mean "unset", so an empty model is a missing one.
        _field("model", "", Rejected(400, "missing_required_parameter", "model", "'model'"), "empty"),
        _field("model", "gpt-5", Rejected(404, "model_not_found", None, "`gpt-5` does not exist"), "unknown"),
        *(_bad_language(value) for value in ("auto", "english", "zz", "zh-tw")),
        *(_bad_format(value) for value in ("xml", "JSON", "diarized")),
        _bad_temperature("-0.1", "decimal_below_min_value", "Expected a value >= 0, but got -0.1"),
        _bad_temperature("1.5", "decimal_above_max_value", "Expected a value <= 1, but got 1.5"),
        _bad_temperature("nan", "invalid_value", "expected a number from 0 to 1"),
        _bad_temperature("hot", "invalid_value", "Input should be a valid number"),
        _bad_temperature("inf", "decimal_above_max_value", "but got inf"),
        _field(
            "timestamp_granularities[]",
            "char",
            Rejected(400, "invalid_value", "timestamp_granularities", "Invalid value: 'char'"),
            "char",
        ),
        # Word timestamps exist only in verbose_json, and json is the default.
        _field(
            "timestamp_granularities[]",
            "word",
            Rejected(
                400, "invalid_value", "timestamp_granularities", "requires response_format 'verbose_json'"
            ),
            "word-without-verbose-json",
        ),
        _field("stream", "maybe", Rejected(400, "invalid_value", "stream", "valid boolean"), "maybe"),
        _field(
            "prompt",
            "a" * 1_000_000,
            Rejected(400, "string_above_max_length", "prompt", "Expected a string with maximum length 4096"),
            "1mb",
        ),
        # Starlette reads a text part that is not UTF-8 as latin-1, so the bytes arrive as 'ÿþ'.
        _field("model", b"\xff\xfe", Rejected(400, "invalid_value", "model", "UTF-8"), "not-utf8"),
        _field("language", b"\xff\xfe", Rejected(400, "invalid_value", "language", "UTF-8"), "not-utf8"),
        _field("prompt", b"\xff\xfe", Rejected(400, "invalid_value", "prompt", "UTF-8"), "not-utf8"),
    ],
)
async def test_invalid_field_is_rejected(
    http: httpx2.AsyncClient, jfk_flac: bytes, fields: Fields, expected: Rejected
) -> None:
    response = await post(http, jfk_flac, fields={"model": FAST_MODEL, **fields})
    assert_rejected(response, expected)


# --- bodies that are not a well-formed multipart form ------------------------------------------------------


def multipart(boundary: str, *, closed: bool = True) -> bytes:
    """A form with one ``model`` part, written by hand so its boundary and ending can be wrong."""
    part = f'--{boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\n{FAST_MODEL}\r\n'
    return (part + (f"--{boundary}--\r\n" if closed else f"--{boundary}\r\n")).encode()


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        pytest.param(b'{"model": "tiny.en"}', "application/json", NOT_MULTIPART, id="json"),
        pytest.param(b"model=tiny.en", "application/x-www-form-urlencoded", NOT_MULTIPART, id="urlencoded"),
        pytest.param(
            b"model=tiny.en", None, Rejected(400, "invalid_content_type", None, "'none'"), id="untyped"
        ),
        pytest.param(
            multipart("AaB03x"),
            "multipart/form-data",
            Rejected(400, "invalid_multipart", None, "Missing boundary"),
            id="multipart-without-boundary",
        ),
        pytest.param(
            multipart("AaB03x"),
            "multipart/form-data; boundary=XyZ",
            Rejected(400, "invalid_multipart", None, "Invalid multipart data"),
            id="multipart-with-another-boundary",
        ),
        pytest.param(
            multipart("AaB03x", closed=False),
            "multipart/form-data; boundary=AaB03x",
            Rejected(400, "invalid_multipart", None, "ends before its closing boundary"),
            id="multipart-without-closing-boundary",
        ),
    ],
)
async def test_body_that_is_not_a_multipart_form_is_rejected(
    http: httpx2.AsyncClient, body: bytes, content_type: str | None, expected: Rejected
) -> None:
    headers = {} if content_type is None else {"content-type": content_type}
    assert_rejected(await http.post(TRANSCRIPTIONS, content=body, headers=headers), expected)


# --- translations ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "fields", "expected"),
    [
        pytest.param(
            lambda jfk: jfk.read_bytes(),
            {"model": FAST_MODEL},
            Rejected(400, "unsupported_value", "model", "English-only and cannot translate"),
            id="english-only-model",
        ),
        pytest.param(lambda _: b"", {"model": "whisper-1"}, UNDECODABLE, id="zero-bytes"),
        pytest.param(lambda _: png_image(), {"model": "whisper-1"}, NO_AUDIO, id="png-image"),
        pytest.param(
            lambda jfk: jfk.read_bytes(),
            {"model": "whisper-1", "response_format": "xml"},
            Rejected(400, "invalid_value", "response_format", "Invalid value: 'xml'"),
            id="response-format-xml",
        ),
        pytest.param(
            lambda jfk: jfk.read_bytes(),
            {"model": "whisper-1", "prompt": "a" * 1_000_000},
            Rejected(400, "string_above_max_length", "prompt", "maximum length 4096"),
            id="prompt-1mb",
        ),
    ],
)
async def test_translation_rejects_what_it_cannot_do(
    http: httpx2.AsyncClient, jfk: Path, make: Make, fields: Fields, expected: Rejected
) -> None:
    assert_rejected(await post(http, make(jfk), fields=fields, path=TRANSLATIONS), expected)
