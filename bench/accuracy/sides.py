"""The two sides: Auricle over HTTP with its defaults, and faster-whisper used directly.

Both are called one request at a time, so a request's wall time is its latency and nothing queues.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
from faster_whisper import WhisperModel
from tests.support.server import Server, serve

from auricle.config import Settings
from auricle.engine.languages import LANGUAGE_NAMES
from bench.accuracy.items import Item
from bench.bare import THREADS
from bench.client import MODEL
from bench.servers import COMMON, RECORDED

AURICLE, BARE = "auricle", "bare"
SIDES = (BARE, AURICLE)
# verbose_json names the language ("english"); the manifest has codes.
_CODES = {name: code for code, name in LANGUAGE_NAMES.items()}


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Answer:
    text: str
    language: str
    """ISO 639-1 code of the language the side detected (or was given)."""
    segments: tuple[Segment, ...]
    words: tuple[Segment, ...]
    seconds: float
    """Wall time from sending the bytes to having the whole transcript."""
    error: str | None = None
    """Why no transcript came back (an HTTP error, an exception); its text is then ""."""

    def record(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "language": self.language,
            "seconds": round(self.seconds, 4),
            "error": self.error,
            "segments": [[s.start, s.end, s.text] for s in self.segments],
            "words": [[w.start, w.end, w.text] for w in self.words],
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Answer:
        return cls(
            text=record["text"],
            language=record["language"],
            segments=tuple(Segment(*s) for s in record["segments"]),
            words=tuple(Segment(*w) for w in record["words"]),
            seconds=record["seconds"],
            error=record["error"],
        )


def _spans(entries: list[dict[str, Any]] | None, text_field: str) -> tuple[Segment, ...]:
    return tuple(Segment(float(e["start"]), float(e["end"]), str(e[text_field])) for e in entries or [])


class AuricleClient:
    """verbose_json with segment timestamps, the file sent as shipped (Auricle sniffs the container)."""

    def __init__(self, base_url: str, keywords: tuple[str, ...] = ()) -> None:
        # trust_env=False: no proxy from the environment between the bench and 127.0.0.1.
        self._http = httpx2.Client(base_url=base_url, timeout=httpx2.Timeout(3600.0), trust_env=False)
        self._keywords = keywords

    def transcribe(self, item: Item, language: str | None) -> Answer:
        fields: dict[str, str | list[str]] = {
            "model": MODEL,
            "response_format": "verbose_json",
            "timestamp_granularities[]": "segment",
        }
        if self._keywords:
            fields["keywords[]"] = list(self._keywords)
        if language:
            fields["language"] = language
        started = time.perf_counter()
        response = self._http.post(
            "/v1/audio/transcriptions", files={"file": (item.filename, item.data)}, data=fields
        )
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            # A refusal (a clip under Auricle's 0.1 s minimum, say) is an empty answer with its reason.
            error = f"HTTP {response.status_code}: {response.text[:300]}"
            return Answer("", "", (), (), seconds, error)
        body = response.json()
        return Answer(
            text=str(body["text"]).strip(),
            language=_CODES.get(str(body["language"]), str(body["language"])),
            segments=_spans(body.get("segments"), "text"),
            words=_spans(body.get("words"), "word"),
            seconds=seconds,
        )

    def close(self) -> None:
        self._http.close()


@contextmanager
def auricle_server(extra: Mapping[str, str]) -> Iterator[tuple[Server, float]]:
    """`auricle serve` with Auricle's defaults (only `base` loaded) plus `extra` settings, ready, and
    the seconds it took to become so; stopped with SIGTERM after."""
    with tempfile.TemporaryDirectory(prefix="auricle-accuracy-") as workdir:
        started = time.perf_counter()
        with serve(Path(workdir), **{**COMMON, **extra}) as server:
            try:
                yield server, time.perf_counter() - started
            finally:
                server.terminate()


def _load(model_dir: Path) -> Any:
    return WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=THREADS)


def _transcribe(model: Any, item: Item, language: str | None) -> Answer:
    """The library's defaults (beam 5, no VAD, temperatures 0-1); the clock covers its decoding too."""
    started = time.perf_counter()
    try:
        found, info = model.transcribe(io.BytesIO(item.data), language=language)
        segments = tuple(Segment(s.start, s.end, s.text) for s in found)
    except Exception as error:  # a file the library cannot read is a result, not a crash of the run
        return Answer("", "", (), (), time.perf_counter() - started, f"{type(error).__name__}: {error}")
    text = "".join(segment.text for segment in segments).strip()
    return Answer(text, str(info.language), segments, (), time.perf_counter() - started)


class BareWhisper:
    """faster-whisper as bench/bare.py runs it: one model, built and called on a worker thread of its
    own for the whole run, as Auricle's runner does."""

    def __init__(self, model_dir: Path) -> None:
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bare-whisper")
        started = time.perf_counter()
        self._model: Any = self._worker.submit(_load, model_dir).result()
        self.load_seconds = time.perf_counter() - started

    def transcribe(self, item: Item, language: str | None) -> Answer:
        return self._worker.submit(_transcribe, self._model, item, language).result()

    def close(self) -> None:
        self._worker.submit(self._drop).result()
        self._worker.shutdown(wait=True)

    def _drop(self) -> None:
        # Freed on the thread that built it, so CTranslate2 tears down where it set up.
        self._model = None


def auricle_settings(extra: Mapping[str, str]) -> dict[str, object]:
    """The decoding and scheduling settings the server runs with: this checkout's defaults plus `extra`
    (the environment has been scrubbed of the caller's AURICLE_* variables)."""
    settings = Settings.model_validate(dict(extra))
    effective = settings.model_dump(mode="json", include={f for f in RECORDED if f in Settings.model_fields})
    if "workers" in effective:  # 0 means one per core: say how many that was
        effective["workers"] = settings.resolved_workers()
    return effective
