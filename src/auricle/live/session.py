"""One live transcription session: audio in as it is spoken, turns found and transcribed, events out.

Audio is turned into Whisper's samples as it arrives (`audio/pcm.py`) and kept until committed
(`timeline.py`). With server VAD (`turns.py`), a turn is committed where its speaker stops; without, the
client commits. While a turn is spoken, its partial transcript is decoded again each time half a
second more of it has arrived, and the words two partials agree on are sent as deltas
(`agreement.py`); a session never has more than one partial decoding, so one that falls behind skips
partials rather than queueing them. Each committed turn is transcribed as a file of the same audio
would be, one turn after another so their `completed` events come in order; an accepted turn is never
dropped, however long the queue. The session uses the runner of its model, so live turns share the
model's workers and batches with file requests.

A turn is decoded without the previous turn's text as its prompt: on bench/live.py's seven dialogues
that prompt made WER 45.4% against 42.9% without (better on Spanish, far worse on a Dutch one). Given
as a chained span gets it, with its timestamps (`chain.context_after`), it made 46.9% against 47.9%
(AVX2 EPYC, one run each, bench/results/2026-12-02-live-amd-epyc-prompted.md): better on Spanish,
French and English, worse on three of the four Czech and Dutch dialogues (up to +4.9 points), which is
too mixed to change what every session gets.
Language is what carries over: a turn too short to be sure of its own takes the one the session has
heard most (`DecodeOptions.heard_before`).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field

from auricle.audio.pcm import PcmStream
from auricle.engine.options import DecodeOptions
from auricle.engine.protocol import SAMPLE_RATE, Samples
from auricle.engine.runner import ModelRunner
from auricle.engine.spoken_language import heard_before, prevailing
from auricle.engine.transcript import Segment
from auricle.errors import AuricleError, InvalidRequest
from auricle.live.agreement import Agreement
from auricle.live.config import LiveConfig, LiveLimits
from auricle.live.events import (
    Cleared,
    Committed,
    Completed,
    Delta,
    Failed,
    LiveEvent,
    SpeechStarted,
    SpeechStopped,
)
from auricle.live.timeline import Timeline, to_ms, to_samples
from auricle.live.turns import Started, TurnDetector
from auricle.live.vad import StreamingVad

logger = logging.getLogger(__name__)

MIN_COMMIT_MS = 100
"""OpenAI refuses to commit less: "Expected at least 100ms of audio"."""


def new_item_id() -> str:
    return "item_" + secrets.token_hex(12)


@dataclass(slots=True)
class _Turn:
    item_id: str
    start: int
    """Sample of the session where its audio begins."""
    text: Agreement = field(default_factory=Agreement)
    drafted_to: int = 0
    """Sample up to which its latest partial was decoded."""
    drafting: bool = False


@dataclass(slots=True)
class _Final:
    item_id: str
    audio: Samples
    text: Agreement
    heard: bool
    """Whether server VAD heard speech in it (a turn), rather than the client committing what it sent."""
    decoded: str = ""
    """The final segments' text so far."""


class LiveSession:
    def __init__(
        self, config: LiveConfig, runner: ModelRunner, limits: LiveLimits, emit: Callable[[LiveEvent], None]
    ) -> None:
        self.config = config
        self._runner = runner
        self._limits = limits
        self._emit = emit
        self._pcm = PcmStream(config.audio)
        self._timeline = Timeline()
        self._vad: StreamingVad | None = None
        self._detector: TurnDetector | None = None
        self._turn: _Turn | None = None
        self._previous_item: str | None = None
        self._finals: asyncio.Queue[_Final] = asyncio.Queue()
        self._finishing = 0
        """Committed turns not yet transcribed: while there are any, no partial is decoded."""
        self._heard: dict[str, float] = {}
        """What language detection heard in the turns transcribed so far (`Transcript.detected`)."""
        self._tasks: set[asyncio.Task[None]] = set()
        self._start_detection()
        self._spawn(self._transcribe_finals())

    def update(self, config: LiveConfig, runner: ModelRunner) -> None:
        """New settings from the client; a changed format or turn detection starts afresh from here."""
        old, self.config, self._runner = self.config, config, runner
        if config.audio != old.audio:
            self._pcm = PcmStream(config.audio)
        if config.turn_detection != old.turn_detection:
            self._turn = None
            self._start_detection()

    def append(self, data: bytes) -> None:
        samples = self._pcm.feed(data)
        if self._timeline.held_seconds + samples.size / SAMPLE_RATE > self._limits.max_buffer_seconds:
            raise InvalidRequest(
                f"The input audio buffer would exceed {self._limits.max_buffer_seconds:g} seconds of "
                "uncommitted audio; commit or clear it first.",
                code="input_audio_buffer_too_large",
            )
        self._timeline.append(samples)
        if self._vad is not None and self._detector is not None:
            for change in self._detector.feed(self._vad.feed(samples)):
                if isinstance(change, Started):
                    self._start_turn(to_samples(change.at_ms))
                elif self._turn is not None:
                    self._emit(SpeechStopped(self._turn.item_id, change.at_ms))
                    self._commit(self._turn.item_id, self._turn.start, to_samples(change.at_ms))
            if self._turn is None:  # no turn can reach back further than its prefix padding
                padding = to_samples(self._detector.settings.prefix_padding_ms)
                self._timeline.drop_before(self._timeline.end - padding)
        self._maybe_draft()

    def commit(self) -> None:
        """The client's commit: the turn in progress, or all the buffered audio, becomes an item."""
        start = self._turn.start if self._turn is not None else self._timeline.origin
        end = self._timeline.end
        if to_ms(end - start) < MIN_COMMIT_MS:
            raise InvalidRequest(
                "Error committing input audio buffer: buffer too small. Expected at least "
                f"{MIN_COMMIT_MS}ms of audio, but buffer only has {to_ms(end - start):.2f}ms of audio.",
                code="input_audio_buffer_commit_empty",
            )
        item_id = self._turn.item_id if self._turn is not None else new_item_id()
        if self._detector is not None:
            self._detector.reset(to_ms(end))
        self._commit(item_id, start, end)

    def clear(self) -> None:
        self._timeline.drop_before(self._timeline.end)
        self._turn = None
        if self._detector is not None:
            self._detector.reset(to_ms(self._timeline.end))
        self._emit(Cleared())

    async def close(self) -> None:
        """Stop every decode of this session: its client is gone, and nobody would read the result."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _start_detection(self) -> None:
        settings = self.config.turn_detection
        if settings is None:
            self._vad, self._detector = None, None
            return
        self._vad, self._detector = StreamingVad(), TurnDetector(settings, to_ms(self._timeline.end))

    def _start_turn(self, start: int) -> None:
        self._turn = _Turn(new_item_id(), start, drafted_to=start)
        self._emit(SpeechStarted(self._turn.item_id, to_ms(start)))

    def _commit(self, item_id: str, start: int, end: int) -> None:
        turn, self._turn = self._turn, None
        text = turn.text if turn is not None else Agreement()  # a turn in progress is what is committed
        audio = self._timeline.between(start, end)
        self._timeline.drop_before(end)
        self._emit(Committed(item_id, self._previous_item))
        self._previous_item = item_id
        self._finishing += 1
        self._finals.put_nowait(_Final(item_id, audio, text, heard=turn is not None))

    def _spawn(self, work: Coroutine[object, object, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _options(self, *, draft: bool, heard: bool = False) -> DecodeOptions:
        """A file request's options for a turn; a partial, unless told its language, takes the one
        heard most so far, rather than guessing again from a second of speech every half second. A
        turn server VAD `heard` is transcribed even where Silero, on its audio alone, hears nothing."""
        config = self.config
        language = config.language
        if draft and language is None and self._heard:
            language = prevailing(heard_before(self._heard.items()))
        return DecodeOptions(
            language=language,
            prompt=config.prompt or None,
            word_timestamps=config.logprobs and not draft,
            languages=config.languages,
            keywords=config.keywords,
            heard_before=tuple(self._heard.items()),
            draft=draft,
            speech_heard=heard,
        )

    def _maybe_draft(self) -> None:
        turn = self._turn
        if turn is None or turn.drafting or self._finishing or self._runner.in_flight >= self._limits.busy_at:
            return
        end = self._timeline.end
        if to_ms(end - turn.drafted_to) < self._limits.draft_every_seconds * 1000:
            return
        if to_ms(end - turn.start) > self._limits.draft_max_seconds * 1000:
            return
        turn.drafting, turn.drafted_to = True, end
        self._spawn(self._draft(turn, self._timeline.between(turn.start, end)))

    async def _draft(self, turn: _Turn, audio: Samples) -> None:
        try:
            transcript = await self._runner.transcribe(lambda: audio, self._options(draft=True))
        except asyncio.CancelledError:
            raise
        except Exception:  # a partial is a courtesy: the turn's final transcript still comes
            logger.exception("a live partial transcript failed")
            return
        finally:
            turn.drafting = False
        if turn is self._turn:  # not committed meanwhile: the final transcript now speaks for it
            first = not turn.text.said
            piece = turn.text.draft(transcript.text)
            if piece:
                self._emit(Delta(turn.item_id, piece, first=first))

    async def _transcribe_finals(self) -> None:
        while True:
            final = await self._finals.get()
            try:
                await self._transcribe(final)
            finally:
                self._finishing -= 1

    async def _transcribe(self, final: _Final) -> None:
        loop = asyncio.get_running_loop()
        progress = _FinalProgress(lambda segments: loop.call_soon_threadsafe(self._said, final, segments))
        try:
            options = self._options(draft=False, heard=final.heard)
            transcript = await self._runner.transcribe(lambda: final.audio, options, progress)
        except asyncio.CancelledError:
            raise
        except AuricleError as error:
            self._emit(Failed(final.item_id, error.message, error.code or "transcription_error"))
            return
        except Exception:
            logger.exception("a live turn failed to transcribe")
            self._emit(Failed(final.item_id, "The server failed to transcribe this audio.", "server_error"))
            return
        for language, weight in transcript.detected:
            self._heard[language] = self._heard.get(language, 0.0) + weight
        rest = final.text.final(transcript.text)
        if rest:
            self._emit(Delta(final.item_id, rest))
        self._emit(Completed(final.item_id, transcript))

    def _said(self, final: _Final, segments: Sequence[Segment]) -> None:
        """Final segments as they come: whatever of them follows what the partials already said."""
        in_step = final.text.said == final.decoded.strip()  # the deltas so far are the final's own words
        first = not final.text.said
        final.decoded += "".join(segment.text for segment in segments)
        piece = final.text.final(final.decoded)
        if piece:
            self._emit(Delta(final.item_id, piece, tuple(segments) if in_step else None, first=first))


@dataclass(slots=True)
class _FinalProgress:
    on_final: Callable[[Sequence[Segment]], object]

    def started(self) -> None:
        pass

    def final(self, segments: Sequence[Segment]) -> None:
        self.on_final(segments)
