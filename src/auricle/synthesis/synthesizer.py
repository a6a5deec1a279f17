"""The loaded voices, the threads that run them and the admission limit in front of them.

Synthesis runs on threads of its own, one piece of text at a time, never on the event loop. A voice's
engine is loaded on first use and runs one piece at a time (a lock: neither engine's text front end is
documented as thread-safe); encoding runs outside the lock, so two requests overlap on two cores.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass

from auricle.errors import Busy
from auricle.synthesis.catalogue import VoiceChoice, choose_voice
from auricle.synthesis.protocol import Samples, VoiceEngine

logger = logging.getLogger(__name__)

EngineFactory = Callable[[], VoiceEngine]


@dataclass(frozen=True, slots=True)
class Casting:
    """Who reads a request: the voice asked for, the one that reads, and whether that is a fallback."""

    choice: VoiceChoice
    voice_id: str
    fallback: bool


class _Loaded:
    def __init__(self, factory: EngineFactory) -> None:
        self._factory = factory
        self._engine: VoiceEngine | None = None
        self._loading = threading.Lock()
        self.lock = threading.Lock()
        """Held while the engine synthesises."""

    def engine(self) -> VoiceEngine:
        with self._loading:
            if self._engine is None:
                self._engine = self._factory()
            return self._engine


class Synthesizer:
    def __init__(
        self,
        engines: Mapping[str, EngineFactory],
        *,
        mapping: Mapping[str, str],
        default_voice: str,
        concurrency: int,
        max_queue: int,
        retry_after_seconds: int,
    ) -> None:
        """`engines`: the installed voices by id; the default voice must be among them."""
        self._engines = {voice_id: _Loaded(factory) for voice_id, factory in engines.items()}
        self._mapping = dict(mapping)
        self.default_voice = default_voice if default_voice in engines else next(iter(engines))
        self.concurrency = concurrency
        self._capacity = concurrency + max_queue
        self._retry_after = retry_after_seconds
        self._executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="auricle-speech")
        # Encoding has threads of its own, so a piece read ahead that waits for its voice never holds
        # back the encoding of the piece before it.
        self._encoders = ThreadPoolExecutor(
            max_workers=concurrency, thread_name_prefix="auricle-encode", initializer=_behind_the_voices
        )
        self._in_flight = 0

    @property
    def installed(self) -> list[str]:
        return list(self._engines)

    @property
    def executor(self) -> ThreadPoolExecutor:
        """The threads that read text aloud."""
        return self._executor

    @property
    def encoders(self) -> ThreadPoolExecutor:
        """The threads that encode what was read."""
        return self._encoders

    def reader(self, requested: str) -> str:
        """The installed voice that reads for `requested` (which must be a valid name)."""
        voice_id = choose_voice(requested, self._mapping, self.default_voice).voice_id
        return voice_id if voice_id in self._engines else self.default_voice

    def cast(self, requested: str) -> Casting:
        choice = choose_voice(requested, self._mapping, self.default_voice)
        if choice.voice_id in self._engines:
            return Casting(choice, choice.voice_id, fallback=False)
        logger.warning(
            "voice %s maps to %s, which is not installed (pip install 'auricle[piper]'); %s reads instead",
            requested,
            choice.voice_id,
            self.default_voice,
        )
        return Casting(choice, self.default_voice, fallback=True)

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        """A place for one request, from its validation to its last byte, or `Busy` at once."""
        if self._in_flight >= self._capacity:
            raise Busy(
                f"Speech synthesis is at capacity ({self._capacity} requests in progress or queued). "
                f"Please try again in {self._retry_after}s.",
                retry_after_seconds=self._retry_after,
            )
        # Counted on the event loop's thread only, so no lock.
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1

    def sample_rate(self, voice_id: str) -> int:
        return self._engines[voice_id].engine().sample_rate

    def synthesize(self, voice_id: str, text: str) -> Samples:
        """Speech for one piece; call on `executor`'s threads."""
        loaded = self._engines[voice_id]
        with loaded.lock:
            return loaded.engine().synthesize(text)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._encoders.shutdown(wait=False, cancel_futures=True)


ENCODER_NICENESS = 5
"""How far below the voices' threads the encoders run (Linux nice levels)."""


def _behind_the_voices() -> None:
    """Lowers this encoder thread's priority: a voice reads one piece after another, so any time it waits
    for a core is added to the response, while an encoder has slack until the next piece is read. With
    both at one priority on 2 cores, heart's mp3 ran at 0.88x the bare voice (bench.speech)."""
    if sys.platform.startswith("linux"):  # elsewhere the call would lower the whole process
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + ENCODER_NICENESS)


def installed_engines() -> dict[str, EngineFactory]:
    """The voices this installation can load: hibari always, Piper where `auricle[piper]` is installed."""
    from auricle.synthesis.hibari_engine import HibariEngine
    from auricle.synthesis.piper_engine import PiperEngine, piper_installed

    engines: dict[str, EngineFactory] = {"heart": HibariEngine}
    if piper_installed():
        engines["joe"] = PiperEngine
    return engines
