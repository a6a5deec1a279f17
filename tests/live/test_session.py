"""A live session on real speech (real Silero VAD), with a fake engine standing in for Whisper."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from auricle.audio.pcm import PcmFormat
from auricle.engine.options import DecodeOptions
from auricle.engine.runner import ModelRunner
from auricle.live.config import LiveConfig, LiveLimits
from auricle.live.events import Committed, Completed, Delta, LiveEvent, SpeechStarted, SpeechStopped
from auricle.live.session import LiveSession
from tests.fakes import FAKE_TEXT, FakeModel
from tests.support.speech import samples_of

pytestmark = pytest.mark.anyio

CHUNK = 1600  # 100 ms at 16 kHz


def _pcm16k(samples: np.ndarray) -> bytes:
    return bytes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


async def _speak(session: LiveSession, samples: np.ndarray, *, pace: float = 0.02) -> None:
    audio = _pcm16k(np.concatenate([samples, np.zeros(16_000, np.float32)]))
    for offset in range(0, len(audio), 2 * CHUNK):
        session.append(audio[offset : offset + 2 * CHUNK])
        await asyncio.sleep(pace)  # lets the session's decodes run between pieces, as a real stream does


async def _told(
    samples: np.ndarray,
    limits: LiveLimits,
    model: FakeModel,
    config: LiveConfig | None = None,
    *,
    commit: bool = False,
) -> list[LiveEvent]:
    """What a session told of `samples`, spoken (then committed by the client, with `commit`), once a
    turn's final transcript came."""
    told: list[LiveEvent] = []
    runner = ModelRunner("base", lambda: model, concurrency=4)
    config = config or LiveConfig(model="base", audio=PcmFormat("audio/pcm", 16_000))
    session = LiveSession(config, runner, limits, told.append)
    try:
        await _speak(session, samples)
        if commit:
            session.commit()
        for _ in range(200):
            if any(isinstance(event, Completed) for event in told):
                break
            await asyncio.sleep(0.02)
    finally:
        await session.close()
        runner.close()
    return told


async def test_partials_are_said_while_the_turn_is_spoken_then_the_final_closes_it(jfk: Path) -> None:
    told = await _told(
        samples_of(jfk)[: 3 * 16_000], LiveLimits(draft_every_seconds=0.2, busy_at=4), FakeModel()
    )
    kinds = [type(event) for event in told]
    assert kinds[0] is SpeechStarted
    stopped = kinds.index(SpeechStopped)
    assert Delta in kinds[:stopped], "no partial text while the turn was spoken"
    assert kinds[stopped + 1] is Committed
    assert kinds[-1] is Completed
    said = "".join(event.text for event in told if isinstance(event, Delta))
    assert said == FAKE_TEXT.strip()


async def test_no_partial_is_decoded_while_the_model_is_busy(jfk: Path) -> None:
    told = await _told(
        samples_of(jfk)[: 3 * 16_000], LiveLimits(draft_every_seconds=0.2, busy_at=0), FakeModel()
    )
    stopped = next(index for index, event in enumerate(told) if isinstance(event, SpeechStopped))
    assert not any(isinstance(event, Delta) for event in told[:stopped])
    assert isinstance(told[-1], Completed)


async def _final_options(samples: np.ndarray, config: LiveConfig, *, commit: bool) -> DecodeOptions:
    """The options the turn's final transcript was decoded with."""
    model = FakeModel()
    await _told(samples, LiveLimits(busy_at=0), model, config, commit=commit)
    return next(options for options in model.calls if not options.draft)


async def test_a_turn_server_vad_heard_is_transcribed_even_where_silero_alone_would_not(jfk: Path) -> None:
    config = LiveConfig(model="base", audio=PcmFormat("audio/pcm", 16_000))
    options = await _final_options(samples_of(jfk)[: 3 * 16_000], config, commit=False)
    assert options.speech_heard


async def test_audio_the_client_commits_itself_is_searched_for_speech_as_a_file_is(jfk: Path) -> None:
    config = LiveConfig(model="base", audio=PcmFormat("audio/pcm", 16_000), turn_detection=None)
    options = await _final_options(samples_of(jfk)[: 3 * 16_000], config, commit=True)
    assert not options.speech_heard
