"""`auricle serve` as a real process on 127.0.0.1, driven by the sync SDK and by hand-made requests."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx2
import openai
import pytest
import srt
import webvtt
from openai.types.audio import TranscriptionVerbose

from tests.conftest import JFK_TEXT
from tests.support.text import normalize

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def client(live_server: str) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=f"{live_server}/v1", api_key="x", max_retries=0, _strict_response_validation=True
    )


def test_the_readme_example_returns_the_jfk_sentence(client: openai.OpenAI, jfk: Path) -> None:
    with jfk.open("rb") as audio:
        result = client.audio.transcriptions.create(model="whisper-1", file=audio)
    assert normalize(result.text) == normalize(JFK_TEXT)


@pytest.mark.parametrize("response_format", ["text", "srt", "vtt"])
def test_text_formats(client: openai.OpenAI, jfk: Path, response_format: str) -> None:
    body = client.audio.transcriptions.create(model="whisper-1", file=jfk, response_format=response_format)  # type: ignore[call-overload]
    assert isinstance(body, str)
    if response_format == "srt":
        text = " ".join(cue.content for cue in srt.parse(body))
    elif response_format == "vtt":
        text = " ".join(caption.text for caption in webvtt.from_string(body).captions)
    else:
        text = body
    assert normalize(text) == normalize(JFK_TEXT)


def test_verbose_json_with_words(client: openai.OpenAI, jfk: Path) -> None:
    result = client.audio.transcriptions.create(
        model="whisper-1", file=jfk, response_format="verbose_json", timestamp_granularities=["word"]
    )
    assert isinstance(result, TranscriptionVerbose)
    assert result.words
    assert all(0 <= w.start <= w.end <= result.duration for w in result.words)


def test_models_are_listed(client: openai.OpenAI) -> None:
    assert {"base", "tiny.en", "whisper-1"} <= {model.id for model in client.models.list()}
    assert client.models.retrieve("whisper-1").id == "whisper-1"


def _multipart(parts: list[tuple[str, str | None, str | None, bytes]]) -> tuple[bytes, str]:
    """A multipart body built by hand: (name, filename, content type, data); None leaves a header out."""
    boundary = uuid.uuid4().hex
    chunks = []
    for name, filename, content_type, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        header = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
        if content_type:
            header += f"Content-Type: {content_type}\r\n"
        chunks.append(header.encode() + b"\r\n" + data + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("upload", "application/octet-stream"), ("audio", None), ("jfk.flac", None), ("x.wav", "text/plain")],
)
def test_any_part_name_or_type_works(
    live_server: str, jfk: Path, filename: str, content_type: str | None
) -> None:
    body, header = _multipart(
        [("model", None, None, b"whisper-1"), ("file", filename, content_type, jfk.read_bytes())]
    )
    response = httpx2.post(
        f"{live_server}/v1/audio/transcriptions", content=body, headers={"content-type": header}, timeout=60
    )
    assert response.status_code == 200, response.text
    assert normalize(response.json()["text"]) == normalize(JFK_TEXT)


def test_error_from_a_real_server_is_an_envelope(live_server: str) -> None:
    body, header = _multipart([("model", None, None, b"whisper-1"), ("file", "a.mp3", None, b"not audio")])
    response = httpx2.post(
        f"{live_server}/v1/audio/transcriptions", content=body, headers={"content-type": header}
    )
    assert response.status_code == 400
    assert response.headers["x-should-retry"] == "false"
    assert response.json()["error"]["param"] == "file"
