"""Decoding the windows of many transcriptions together: one CTranslate2 `generate` call for several.

On CPU, Whisper's decoder is bound by reading its weights once per token step (the 51,865-way output
projection alone is 26 M weights), so several windows decoded as one batch cost far less than each on its
own: eight 7 s clips on base, beam 5, took 1.17 s batched against 2.68 s one by one. The encoder gains
nothing (eight 10 s windows: 0.99 s batched, 0.78 s one by one), so only `generate` is batched.

CTranslate2 computes each row of a batch on its own, so a window decoded in a batch gets bit for bit the
tokens and scores it gets alone (checked on those eight clips, and by tests). It needs the windows'
encoder outputs to have one length and their prompts to put the start-of-transcript token at one place,
so calls are grouped by those and by every decoding option; a window never waits for an unlike one.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import ctranslate2
import numpy as np

from auricle.engine.protocol import Cancelled

Generate = Callable[..., list[Any]]
_NEVER: Callable[[], bool] = lambda: False  # noqa: E731
STOP_POLL_SECONDS = 0.05
"""How often a queued call looks at its session's `should_stop` while every worker is busy."""


@dataclass(eq=False)
class _Call:
    key: Hashable
    encoder_output: Any
    prompt: list[int]
    options: dict[str, Any]
    should_stop: Callable[[], bool] = _NEVER
    arrived: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


class GenerateBatcher:
    """Runs `generate` for batches of like calls from any number of threads, on `workers` threads.

    `workers` is how many calls the model runs at once (CTranslate2's replicas). A call waits for company
    while every worker is busy (encoding or decoding): it could not start sooner anyway, and windows
    that finish encoding meanwhile join it. With a worker free, it waits only while another transcription
    is between windows (it holds a `session` but has no call queued), and then at most `wait_seconds`:
    a lone request is decoded at once.
    """

    def __init__(
        self,
        generate: Generate,
        *,
        workers: int,
        max_batch: int,
        wait_seconds: float,
        sot_token: int,
        max_batch_frames: int | None = None,
    ) -> None:
        if workers < 1 or max_batch < 1:
            raise ValueError("workers and max_batch must be at least 1")
        self._generate = generate
        self._workers = workers
        self._max_batch = max_batch
        self._max_batch_frames = max_batch_frames
        self._wait_seconds = wait_seconds
        self._sot_token = sot_token
        self._pending: list[_Call] = []
        self._sessions = 0
        self._busy = 0
        self._decoding = 0
        self._closed = False
        self._changed = threading.Condition()
        self._local = threading.local()
        self.batch_sizes: deque[int] = deque(maxlen=1000)
        """How many windows each of the latest `generate` calls decoded, for tests and the benchmark."""
        self.on_batch: Callable[[int], None] | None = None
        """Told each batch's size, on the worker that decodes it (the service's metrics)."""
        self._threads = [
            threading.Thread(target=self._run, name=f"auricle-generate-{index}", daemon=True)
            for index in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    @contextmanager
    def session(self, should_stop: Callable[[], bool] = _NEVER) -> Iterator[None]:
        """One transcription under way on this thread, so that a batch may wait for its next window.

        Until `should_stop` turns true: then its queued windows are dropped and its next model call raises
        `Cancelled`, so a request whose client left stops within one model call, fallbacks included.
        """
        with self._changed:
            self._sessions += 1
        self._local.should_stop = should_stop
        try:
            yield
        finally:
            self._local.should_stop = _NEVER
            with self._changed:
                self._sessions -= 1
                self._changed.notify_all()

    def check_stop(self) -> Callable[[], bool]:
        """This thread's session's `should_stop`; raises `Cancelled` if it is already true."""
        should_stop: Callable[[], bool] = getattr(self._local, "should_stop", _NEVER)
        if should_stop():
            raise Cancelled
        return should_stop

    @contextmanager
    def busy(self) -> Iterator[None]:
        """Wraps a model call made outside the batcher (an encode), so that batches know a worker is taken."""
        with self._changed:
            self._busy += 1
        try:
            yield
        finally:
            with self._changed:
                self._busy -= 1
                self._changed.notify_all()

    def generate(self, encoder_output: Any, prompts: Sequence[list[int]], **options: Any) -> list[Any]:
        """`ctranslate2.models.Whisper.generate`, batched with other threads' calls of the same shape."""
        if len(prompts) != 1:  # already a batch: nothing to add
            with self.busy():
                return self._generate(encoder_output, prompts, **options)
        key = self._key(encoder_output, prompts[0], options)
        call = _Call(key, encoder_output, prompts[0], options, should_stop=self.check_stop())
        with self._changed:
            if self._closed:
                raise RuntimeError("the model has been unloaded")
            self._pending.append(call)
            self._changed.notify_all()
        while not call.done.wait(STOP_POLL_SECONDS):
            if call.should_stop() and self._withdraw(call):
                raise Cancelled
        if call.error is not None:
            raise call.error
        return [call.result]

    @property
    def queued(self) -> int:
        """Calls waiting for a worker."""
        with self._changed:
            return len(self._pending)

    def close(self) -> None:
        """Decodes what is queued, then stops the threads."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        for thread in self._threads:
            thread.join()

    def _key(self, encoder_output: Any, prompt: list[int], options: dict[str, Any]) -> Hashable:
        sot = prompt.index(self._sot_token) if self._sot_token in prompt else -1
        frozen = tuple(sorted((name, _hashable(value)) for name, value in options.items()))
        return (tuple(encoder_output.shape), len(prompt), sot, frozen)

    def _run(self) -> None:
        while batch := self._next_batch():
            try:
                self._decode(batch)
            finally:
                with self._changed:
                    self._busy -= 1
                    self._decoding -= 1
                    self._changed.notify_all()

    def _next_batch(self) -> list[_Call]:
        """The oldest call and up to `max_batch - 1` like ones, once waiting for more is not worth it."""
        with self._changed:
            while True:
                self._drop_stopped()
                while not self._pending and not self._closed:
                    self._changed.wait()
                    self._drop_stopped()
                if not self._pending:
                    return []
                first = self._pending[0]
                wait = self._worth_waiting(first)
                if wait == 0.0:
                    break
                self._changed.wait(wait)
            like = [call for call in self._pending if call.key == first.key]
            # Shared out among the workers not decoding a batch already (one that is encoding is free
            # soon): on two workers, two batches of five finish before one of eight and one of two.
            sharers = max(1, self._workers - self._decoding)
            batch = like[: min(self._limit(first), -(-len(like) // sharers))]
            self._pending = [call for call in self._pending if call not in batch]
            self._busy += 1
            self._decoding += 1
            return batch

    def _withdraw(self, call: _Call) -> bool:
        """Takes `call` off the queue, unless a worker already has it."""
        with self._changed:
            if call not in self._pending:
                return False
            self._pending.remove(call)
            return True

    def _limit(self, first: _Call) -> int:
        """How many calls like `first` one batch may hold: `max_batch`, fewer if its windows are long.

        The decoder's memory grows with the frames it attends to: a full 30 s window at beam 5 added
        about 75 MB to generate's peak on base (one window 128 MB, eight 619 MB).
        """
        if self._max_batch_frames is None:
            return self._max_batch
        frames = int(first.encoder_output.shape[1])
        return max(1, min(self._max_batch, self._max_batch_frames // max(1, frames)))

    def _drop_stopped(self) -> None:
        for call in [call for call in self._pending if call.should_stop()]:
            self._pending.remove(call)
            call.error = Cancelled()
            call.done.set()

    def _worth_waiting(self, first: _Call) -> float | None:
        """How long to wait for like calls before decoding `first`'s batch: 0 not at all, None until told."""
        if self._closed or sum(call.key == first.key for call in self._pending) >= self._limit(first):
            return 0.0
        if self._busy >= self._workers:
            return None  # no worker could start it now: more windows may join in the meantime
        left = first.arrived + self._wait_seconds - time.monotonic()
        # A transcription with no call queued is between windows and may send a like one soon.
        return max(0.0, left) if len(self._pending) < self._sessions else 0.0

    def _decode(self, batch: list[_Call]) -> None:
        try:
            encoder_output = _stacked(batch)
        except (TypeError, ValueError, RuntimeError):  # outputs this device cannot stack: one by one
            for call in batch:
                self._decode([call])
            return
        self.batch_sizes.append(len(batch))
        if self.on_batch is not None:
            self.on_batch(len(batch))
        try:
            results = self._generate(encoder_output, [call.prompt for call in batch], **batch[0].options)
        except BaseException as error:  # handed to every caller, each re-raises it on its own thread
            for call in batch:
                call.error = error
        else:
            for call, result in zip(batch, results, strict=True):
                call.result = result
        for call in batch:
            call.done.set()


def _stacked(batch: list[_Call]) -> Any:
    """One encoder output for the batch: a NumPy array, or the lone call's own output untouched."""
    if len(batch) == 1:
        return batch[0].encoder_output
    return np.concatenate([_on_cpu(call.encoder_output) for call in batch])


def _on_cpu(encoder_output: Any) -> np.ndarray:
    # On a GPU the outputs are copied out to be stacked (3 MB a window) and copied back by generate.
    if getattr(encoder_output, "device", "cpu") != "cpu":
        encoder_output = encoder_output.to_device(ctranslate2.Device.cpu)
    return np.asarray(encoder_output)


def _hashable(value: Any) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_hashable(item) for item in value)
    return value  # type: ignore[no-any-return]


HALF_WINDOW_FRAMES = 750
"""Encoder frames of 15 s of audio."""


class BatchingWhisper:
    """A `ctranslate2.models.Whisper` whose `generate` goes through a `GenerateBatcher`.

    faster-whisper calls `generate` once per window with a single prompt; put in place of a
    `WhisperModel`'s `model`, this lets every transcription running on it share batches. `encode` is
    counted as work in progress; everything else goes straight to the model.
    """

    def __init__(
        self, model: Any, *, workers: int, max_batch: int, wait_seconds: float, sot_token: int
    ) -> None:
        self._model = model
        self.batcher = GenerateBatcher(
            partial(_generate_on, model),
            workers=workers,
            max_batch=max_batch,
            wait_seconds=wait_seconds,
            sot_token=sot_token,
            # Half of max_batch full 30 s windows (1,500 encoder frames each): eight short clips share a
            # batch, and a long recording's full windows go four at a time.
            max_batch_frames=max_batch * HALF_WINDOW_FRAMES,
        )

    def generate(self, encoder_output: Any, prompts: Sequence[list[int]], **options: Any) -> list[Any]:
        return self.batcher.generate(encoder_output, prompts, **options)

    def encode(self, features: Any, **options: Any) -> Any:
        self.batcher.check_stop()
        with self.batcher.busy():
            return self._model.encode(features, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


def _generate_on(model: Any, encoder_output: Any, prompts: Sequence[list[int]], **options: Any) -> list[Any]:
    if isinstance(encoder_output, np.ndarray):
        # The view borrows the array's memory; `encoder_output` keeps it alive until generate returns.
        encoder_output = ctranslate2.StorageView.from_array(encoder_output)
    return model.generate(encoder_output, prompts, **options)  # type: ignore[no-any-return]
