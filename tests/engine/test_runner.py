"""The runner builds and runs its model on one worker thread and drops work nobody waits for."""

from __future__ import annotations

import threading
from collections.abc import Callable

import anyio
import numpy as np
import pytest

from auricle.audio.errors import UndecodableAudio
from auricle.engine.options import DecodeOptions
from auricle.engine.protocol import FinalSegments, Samples
from auricle.engine.runner import ModelRunner
from auricle.engine.transcript import Transcript
from tests.fakes import FakeModel

pytestmark = pytest.mark.anyio
SECOND = np.zeros(16000, dtype=np.float32)


def one_second() -> Samples:
    return SECOND


class ThreadRecordingModel(FakeModel):
    def __init__(self) -> None:
        super().__init__()
        self.built_on = threading.current_thread().name
        self.ran_on: list[str] = []

    def transcribe(
        self,
        samples: Samples,
        options: DecodeOptions,
        should_stop: Callable[[], bool],
        on_final: FinalSegments | None = None,
    ) -> Transcript:
        self.ran_on.append(threading.current_thread().name)
        return super().transcribe(samples, options, should_stop, on_final)


async def test_model_is_built_and_run_on_the_same_worker_thread() -> None:
    runner = ModelRunner("m", ThreadRecordingModel, concurrency=1)
    try:
        await runner.transcribe(one_second, DecodeOptions())
        model = runner.wait_loaded()
        assert isinstance(model, ThreadRecordingModel)
        assert model.built_on.startswith("auricle-m")
        assert model.ran_on == [model.built_on]
        assert model.built_on != threading.main_thread().name
    finally:
        runner.close()


async def test_a_cancelled_queued_request_never_runs() -> None:
    gate = threading.Event()
    model = FakeModel(gate=gate)
    runner = ModelRunner("m", lambda: model, concurrency=1)
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(runner.transcribe, one_second, DecodeOptions(prompt="first"))
            while not model.calls:
                await anyio.sleep(0.01)
            with anyio.move_on_after(0.2):  # the second waits behind the first, then its caller gives up
                await runner.transcribe(one_second, DecodeOptions(prompt="second"))
            gate.set()
        assert [call.prompt for call in model.calls] == ["first"]
    finally:
        runner.close()


def test_a_model_that_fails_to_build_reports_why() -> None:
    def broken() -> FakeModel:
        raise RuntimeError("no weights")

    runner = ModelRunner("m", broken, concurrency=1)
    with pytest.raises(RuntimeError, match="no weights"):
        runner.wait_loaded()
    assert not runner.ready
    runner.close()


async def test_audio_is_decoded_on_the_worker_only_when_its_turn_comes() -> None:
    gate = threading.Event()
    model = FakeModel(gate=gate)
    runner = ModelRunner("m", lambda: model, concurrency=1)
    decoded: list[str] = []

    def audio(name: str) -> Callable[[], Samples]:
        def load() -> Samples:
            decoded.append(name)
            return SECOND

        return load

    try:
        async with anyio.create_task_group() as group:
            for name in ("first", "second", "third"):
                group.start_soon(runner.transcribe, audio(name), DecodeOptions())
            while not model.calls:
                await anyio.sleep(0.01)
            await anyio.sleep(0.1)
            assert decoded == ["first"]  # the two waiting uploads are not held in memory as samples
            gate.set()
        assert decoded == ["first", "second", "third"]
    finally:
        runner.close()


async def test_a_decoding_error_reaches_the_caller() -> None:
    runner = ModelRunner("m", FakeModel, concurrency=1)

    def undecodable() -> Samples:
        raise UndecodableAudio

    try:
        with pytest.raises(UndecodableAudio):
            await runner.transcribe(undecodable, DecodeOptions())
    finally:
        runner.close()
