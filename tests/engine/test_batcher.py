"""The generate batcher on a fake model: who shares a batch, who waits, and who never does."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

from auricle.engine.batcher import GenerateBatcher
from auricle.engine.protocol import Cancelled

SOT = 50258
PROMPT = [SOT, 50259, 50360]
GUARD = 10  # seconds: a hang guard, never a timing assertion


class FakeGenerate:
    """Answers each row with its encoder output's first value, and records every batch it was given."""

    def __init__(self, hold: threading.Event | None = None, fail: bool = False) -> None:
        self.batches: list[int] = []
        self.hold = hold
        self.fail = fail
        self.started = threading.Event()

    def __call__(self, encoder_output: Any, prompts: Sequence[list[int]], **options: Any) -> list[Any]:
        self.batches.append(len(prompts))
        self.started.set()
        if self.hold is not None:
            assert self.hold.wait(GUARD)
        if self.fail:
            raise RuntimeError("the model broke")
        rows = np.asarray(encoder_output)
        return [(float(rows[index, 0, 0]), tuple(prompts[index]), options) for index in range(len(prompts))]


def window(value: float, frames: int = 4) -> np.ndarray:
    return np.full((1, frames, 2), value, dtype=np.float32)


@contextmanager
def batcher_on(fake: Callable[..., list[Any]], **settings: Any) -> Iterator[GenerateBatcher]:
    options: dict[str, Any] = {"workers": 1, "max_batch": 8, "wait_seconds": 0.0, "sot_token": SOT}
    batcher = GenerateBatcher(fake, **{**options, **settings})
    try:
        yield batcher
    finally:
        batcher.close()


def in_session(batcher: GenerateBatcher, call: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        with batcher.session():
            return call()

    return run


def test_a_lone_call_is_decoded_at_once_however_long_the_wait_bound() -> None:
    fake = FakeGenerate()
    with batcher_on(fake, wait_seconds=3600) as batcher, ThreadPoolExecutor(1) as pool:
        job = pool.submit(in_session(batcher, lambda: batcher.generate(window(1.0), [PROMPT], beam_size=5)))
        assert job.result(GUARD) == [(1.0, tuple(PROMPT), {"beam_size": 5})]
    assert fake.batches == [1]


def test_like_calls_sent_while_the_model_is_busy_share_one_batch_and_get_their_own_rows() -> None:
    hold = threading.Event()
    fake = FakeGenerate(hold)
    with batcher_on(fake) as batcher, ThreadPoolExecutor(8) as pool:
        first = pool.submit(batcher.generate, window(0.0), [PROMPT], beam_size=5)
        assert fake.started.wait(GUARD)  # the one worker is now busy with the first call
        jobs = [pool.submit(batcher.generate, window(float(n)), [PROMPT], beam_size=5) for n in range(1, 6)]
        wait_until(lambda: len(batcher._pending) == 5)
        hold.set()
        assert first.result(GUARD)[0][0] == 0.0
        assert [job.result(GUARD)[0][0] for job in jobs] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert fake.batches == [1, 5]


@pytest.mark.parametrize(
    ("other_window", "other_prompt", "other_options"),
    [
        (window(9.0, frames=6), PROMPT, {"beam_size": 5}),  # another window length
        (window(9.0), [50361, *PROMPT], {"beam_size": 5}),  # start-of-transcript elsewhere
        (window(9.0), PROMPT, {"beam_size": 1}),  # another decoding option
        (window(9.0), PROMPT, {"beam_size": 5, "sampling_temperature": 0.2}),
    ],
    ids=["window-length", "prompt-layout", "beam", "temperature"],
)
def test_unlike_calls_never_share_a_batch(
    other_window: np.ndarray, other_prompt: list[int], other_options: dict[str, Any]
) -> None:
    hold = threading.Event()
    fake = FakeGenerate(hold)
    with batcher_on(fake) as batcher, ThreadPoolExecutor(4) as pool:
        blocker = pool.submit(batcher.generate, window(0.0), [PROMPT], beam_size=5)
        assert fake.started.wait(GUARD)
        like = pool.submit(batcher.generate, window(1.0), [PROMPT], beam_size=5)
        unlike = pool.submit(batcher.generate, other_window, [other_prompt], **other_options)
        wait_until(lambda: len(batcher._pending) == 2)
        hold.set()
        assert [f.result(GUARD)[0][0] for f in (blocker, like, unlike)] == [0.0, 1.0, 9.0]
    assert fake.batches == [1, 1, 1]


def test_a_batch_waits_for_a_session_between_windows_but_only_up_to_the_wait_bound() -> None:
    fake = FakeGenerate()
    with batcher_on(fake, wait_seconds=3600) as batcher, ThreadPoolExecutor(2) as pool:
        between_windows = threading.Event()
        release = threading.Event()

        def idle_session() -> None:
            with batcher.session():
                between_windows.set()
                assert release.wait(GUARD)
                batcher.generate(window(2.0), [PROMPT], beam_size=5)

        other = pool.submit(idle_session)
        assert between_windows.wait(GUARD)
        first = pool.submit(in_session(batcher, lambda: batcher.generate(window(1.0), [PROMPT], beam_size=5)))
        time.sleep(0.2)
        assert not first.done()  # held for the other session's window
        release.set()
        assert first.result(GUARD)[0][0] == 1.0
        other.result(GUARD)
    assert fake.batches == [2]


def test_batches_are_shared_out_among_the_workers() -> None:
    hold = threading.Event()
    fake = FakeGenerate(hold)
    with batcher_on(fake, workers=2) as batcher, ThreadPoolExecutor(10) as pool:
        with batcher.busy(), batcher.busy():  # both workers encoding: calls queue up
            jobs = [pool.submit(batcher.generate, window(float(n)), [PROMPT], beam_size=5) for n in range(6)]
            wait_until(lambda: len(batcher._pending) == 6)
        wait_until(lambda: len(fake.batches) == 2)
        hold.set()
        assert sorted(job.result(GUARD)[0][0] for job in jobs) == [float(n) for n in range(6)]
    assert fake.batches == [3, 3]


def test_long_windows_go_fewer_to_a_batch() -> None:
    hold = threading.Event()
    fake = FakeGenerate(hold)
    with batcher_on(fake, max_batch_frames=8) as batcher, ThreadPoolExecutor(8) as pool:
        blocker = pool.submit(batcher.generate, window(9.0, frames=2), [PROMPT], beam_size=5)
        assert fake.started.wait(GUARD)
        jobs = [pool.submit(batcher.generate, window(float(n)), [PROMPT], beam_size=5) for n in range(5)]
        wait_until(lambda: len(batcher._pending) == 5)
        hold.set()
        blocker.result(GUARD)
        assert sorted(job.result(GUARD)[0][0] for job in jobs) == [float(n) for n in range(5)]
    assert fake.batches == [1, 2, 2, 1]  # 4 frames a window, 8 frames a batch


class Unstackable:
    """An encoder output that cannot be copied into NumPy, as on a device that does not allow it."""

    shape = (1, 4, 2)

    def __array__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        raise RuntimeError("not on this device")


def test_outputs_that_cannot_be_stacked_are_decoded_one_by_one() -> None:
    hold = threading.Event()
    started = threading.Event()
    seen: list[int] = []

    def generate(encoder_output: Any, prompts: Sequence[list[int]], **options: Any) -> list[Any]:
        started.set()
        assert hold.wait(GUARD)
        seen.append(len(prompts))
        return ["decoded"] * len(prompts)

    with batcher_on(generate) as batcher, ThreadPoolExecutor(4) as pool:
        jobs = [pool.submit(batcher.generate, Unstackable(), [PROMPT], beam_size=5)]
        assert started.wait(GUARD)  # the one worker is held: the next two queue up as one batch
        jobs += [pool.submit(batcher.generate, Unstackable(), [PROMPT], beam_size=5) for _ in range(2)]
        wait_until(lambda: len(batcher._pending) == 2)
        hold.set()
        assert [job.result(GUARD) for job in jobs] == [["decoded"]] * 3
    assert seen == [1, 1, 1]


def test_an_error_reaches_every_caller_in_the_batch() -> None:
    hold = threading.Event()
    fake = FakeGenerate(hold, fail=True)
    with batcher_on(fake) as batcher, ThreadPoolExecutor(4) as pool:
        jobs = [pool.submit(batcher.generate, window(float(n)), [PROMPT], beam_size=5) for n in range(3)]
        hold.set()
        for job in jobs:
            with pytest.raises(RuntimeError, match="the model broke"):
                job.result(GUARD)


def test_a_stopped_session_loses_its_queued_window_and_makes_no_more_calls() -> None:
    hold = threading.Event()
    fake = FakeGenerate(hold)
    stop = threading.Event()
    with batcher_on(fake) as batcher, ThreadPoolExecutor(2) as pool:
        blocker = pool.submit(batcher.generate, window(0.0), [PROMPT], beam_size=5)
        assert fake.started.wait(GUARD)

        def stopped_session() -> Any:
            with batcher.session(stop.is_set):
                return batcher.generate(window(1.0), [PROMPT], beam_size=5)

        queued: Future[Any] = pool.submit(stopped_session)
        wait_until(lambda: len(batcher._pending) == 1)
        stop.set()
        with pytest.raises(Cancelled):
            queued.result(GUARD)
        hold.set()
        blocker.result(GUARD)
        with batcher.session(stop.is_set), pytest.raises(Cancelled):
            batcher.generate(window(1.0), [PROMPT], beam_size=5)
    assert fake.batches == [1]


def test_close_decodes_what_is_queued_then_refuses_more() -> None:
    hold = threading.Event()
    fake = FakeGenerate(hold)
    batcher = GenerateBatcher(fake, workers=1, max_batch=8, wait_seconds=0.0, sot_token=SOT)
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(batcher.generate, window(float(n)), [PROMPT], beam_size=5) for n in range(2)]
        # Both are in the batcher (decoding or queued, not merely submitted to the pool) when it closes.
        wait_until(lambda: fake.started.is_set() and sum(fake.batches) + batcher.queued == 2)
        closing = pool.submit(batcher.close)
        hold.set()
        closing.result(GUARD)
        assert [job.result(GUARD)[0][0] for job in jobs] == [0.0, 1.0]
    with pytest.raises(RuntimeError, match="unloaded"):
        batcher.generate(window(2.0), [PROMPT], beam_size=5)


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + GUARD
    while not condition():
        assert time.monotonic() < deadline, "condition never came true"
        time.sleep(0.005)
