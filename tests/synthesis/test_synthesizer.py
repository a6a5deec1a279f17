"""The synthesizer's threads: encoders run behind the voices."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from auricle.synthesis.synthesizer import ENCODER_NICENESS
from tests.support.voices import ToneVoice, tone_synthesizer


def niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priorities are Linux's")
def test_encoder_threads_run_below_the_voices_and_the_rest_of_the_process() -> None:
    synthesizer = tone_synthesizer(ToneVoice())
    try:
        voices = synthesizer.executor.submit(niceness).result()
        encoders = synthesizer.encoders.submit(niceness).result()
    finally:
        synthesizer.close()
    assert voices == niceness()
    assert encoders == min(voices + ENCODER_NICENESS, 19)
