"""Auricle as its users reach it: multipart uploads over HTTP to a real `auricle serve` process."""

from __future__ import annotations

import time

import httpx2

from bench.corpus import Clip
from bench.measure import Result

MODEL = "base"


class AuricleClient:
    """One keep-alive connection pool per server, shared by every client thread (httpx2 is thread-safe)."""

    def __init__(self, base_url: str, language: str | None) -> None:
        self.language = language
        # trust_env=False: a proxy from the environment must never sit between the bench and 127.0.0.1.
        self._http = httpx2.Client(
            base_url=base_url,
            timeout=httpx2.Timeout(3600.0),
            limits=httpx2.Limits(max_connections=16, max_keepalive_connections=16),
            trust_env=False,
        )

    def transcribe(self, clip: Clip) -> Result:
        """Upload to answer, as an SDK user waits for it: upload, queue, decode, inference and JSON."""
        fields = {"model": MODEL, "response_format": "json"}
        if self.language:
            fields["language"] = self.language
        started = time.perf_counter()
        response = self._http.post(
            "/v1/audio/transcriptions",
            files={"file": (f"{clip.name}.wav", clip.wav, "audio/wav")},
            data=fields,
        )
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{clip.name}: HTTP {response.status_code}: {response.text[:500]}")
        return Result(str(response.json()["text"]).strip(), seconds)

    def close(self) -> None:
        self._http.close()
