"""The server as a process: SIGTERM drains it, a client that leaves frees its worker, uploads leave no file.

Each test starts its own `auricle serve` on tiny.en (fast) with one request at a time and no queue, so a slot
that is not given back shows up as a 429.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest

from tests.conftest import JFK_TEXT
from tests.support.rss import rss_mb
from tests.support.server import ONLY_TINY, Server, serve
from tests.support.speech import repeated_wav
from tests.support.text import normalize

pytestmark = pytest.mark.model

TRANSCRIBE = "/v1/audio/transcriptions"


@pytest.fixture
def server(tmp_path: Path, model_cache: Path) -> Iterator[Server]:
    with serve(
        tmp_path,
        cache_dir=str(model_cache),
        **ONLY_TINY,
        concurrency="1",
        max_queue="0",
        log_level="debug",
    ) as running:
        yield running


def transcribe(server: Server, audio: bytes, timeout: float = 120) -> httpx2.Response:
    return httpx2.post(
        server.base_url + TRANSCRIBE,
        data={"model": "tiny.en"},
        files={"file": ("speech.wav", audio, "audio/wav")},
        timeout=timeout,
    )


def multipart_head(length: int) -> bytes:
    part = (
        b'--b\r\nContent-Disposition: form-data; name="model"\r\n\r\ntiny.en\r\n'
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n'
    )
    return (
        f"POST {TRANSCRIBE} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {len(part) + length + 8}\r\n\r\n"
    ).encode() + part


def spooled_files(server: Server) -> list[str]:
    """The server's open descriptors on files under its TMPDIR (unnamed spool files show as deleted)."""
    fd_dir = Path(f"/proc/{server.process.pid}/fd")
    targets = []
    for fd in fd_dir.iterdir():
        try:
            targets.append(os.readlink(fd))
        except OSError:  # closed while we looked
            continue
    return [target for target in targets if target.startswith(str(server.tmp_dir))]


def temporary_files(server: Server) -> list[Path]:
    # onnxruntime (Silero VAD) writes a 51-byte telemetry session marker, `.ses`, when it is imported.
    return [path for path in server.tmp_dir.iterdir() if path.name != ".ses"]


def wait_until(condition: Callable[[], bool], timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_sigterm_answers_the_request_in_flight_then_exits_0(
    server: Server, jfk: Path, record_figure: Callable[[str], None]
) -> None:
    audio = repeated_wav(jfk, 6)  # 66 s: a few seconds of work on tiny.en
    with ThreadPoolExecutor(1) as pool:
        in_flight: Future[httpx2.Response] = pool.submit(transcribe, server, audio)
        time.sleep(1.5)  # the upload is in; inference has started
        assert not in_flight.done()
        started = time.monotonic()
        status = server.terminate()
        response = in_flight.result()
    assert status == 0
    assert response.status_code == 200
    assert normalize(response.json()["text"]).count(normalize("ask not what your country")) >= 5
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(server.base_url + "/health")
    log = server.log_text()
    assert "Waiting for" in log or "Shutting down" in log
    assert "Traceback" not in log
    drained = time.monotonic() - started
    record_figure(f"SIGTERM: the request in flight was answered, then exit 0 after {drained:.1f} s")


def test_client_leaving_mid_inference_frees_the_worker(
    server: Server, jfk: Path, record_figure: Callable[[str], None]
) -> None:
    audio = repeated_wav(jfk, 24)  # 264 s: far longer to finish than the test waits
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(multipart_head(len(audio)) + audio + b"\r\n--b--\r\n")
        time.sleep(1.5)  # decoding is done and inference has started
    started = time.monotonic()
    # One worker and no queue: this is a 429 unless the abandoned request gave its slot back.
    response = transcribe(server, jfk.read_bytes())
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert normalize(response.json()["text"]) == normalize(JFK_TEXT)
    assert "disconnected before its answer" in server.log_text()
    record_figure(f"after a client left mid-inference, the next request was answered in {elapsed:.2f} s")


def test_client_leaving_mid_upload_leaves_no_file(server: Server, jfk: Path) -> None:
    audio = repeated_wav(jfk, 10)  # 3.5 MB: spooled past memory into a temporary file
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(multipart_head(len(audio)) + audio[: len(audio) // 2])
        assert wait_until(lambda: bool(spooled_files(server)), timeout=10)
    assert wait_until(lambda: "disconnected during its upload" in server.log_text())
    assert wait_until(lambda: not spooled_files(server))
    assert temporary_files(server) == []
    assert transcribe(server, jfk.read_bytes()).status_code == 200
    assert "unexpected error" not in server.log_text()


def test_uploads_and_transcripts_leave_no_trace(server: Server, jfk: Path) -> None:
    large = repeated_wav(jfk, 4)  # 1.4 MB, spooled to a file
    for audio in (large, b"not audio at all" * 100_000):
        transcribe(server, audio)
    assert not spooled_files(server)
    assert temporary_files(server) == []
    # Debug logging on, and still no transcript text in the log.
    log = server.log_text()
    assert "DEBUG" in log
    assert "fellow americans" not in log.lower()
    assert "your country" not in log.lower()


def stream_chunked(port: int, total: int) -> tuple[bytes, int]:
    """POST `total` bytes of multipart body with chunked encoding (no Content-Length to refuse up front).

    Returns the start of the server's answer and how many bytes went out before the server stopped us.
    """
    head = (
        f"POST {TRANSCRIBE} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n\r\n"
    ).encode()
    part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\n\r\n'
    chunk = b"\0" * (1 << 20)
    sent = 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head + f"{len(part):x}\r\n".encode() + part + b"\r\n")
        try:
            while sent < total:
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed: what it said is still in our receive buffer
        sock.settimeout(30)
        return sock.recv(65536), sent


def test_200_mb_upload_is_refused_while_streaming(
    server: Server, record_figure: Callable[[str], None]
) -> None:
    baseline = rss_mb(server.process.pid)
    peak = baseline
    with ThreadPoolExecutor(1) as pool:
        upload = pool.submit(stream_chunked, server.port, 200 << 20)
        while not upload.done():
            peak = max(peak, rss_mb(server.process.pid))
            time.sleep(0.02)
        answer, sent = upload.result()
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 413"), answer[:600]
    assert b"Maximum content size limit (26214400) exceeded" in rest
    assert peak - baseline < 50, f"RSS grew {peak - baseline:.0f} MB"
    assert b"connection: close" in rest.lower()
    assert sent < 100 << 20  # the server closed the connection instead of draining the rest
    growth = peak - baseline
    record_figure(f"200 MB streamed upload: 413 after {sent >> 20} MB sent; server RSS grew {growth:.1f} MB")
