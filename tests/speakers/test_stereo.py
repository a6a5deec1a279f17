from __future__ import annotations

from pathlib import Path

import numpy as np
from faster_whisper import decode_audio

from auricle.speakers.stereo import channel_turns, is_call

RATE = 16_000


def test_each_channel_is_a_speaker_and_cross_talk_is_dropped(jfk: Path) -> None:
    speech = decode_audio(str(jfk))[: 4 * RATE]
    silence = np.zeros(5 * RATE, dtype=np.float32)
    left = np.concatenate([speech, silence])
    right = np.concatenate([silence, speech])
    # Each line also picks up the other party 30 dB down.
    call = np.stack([left + 0.03 * right, right + 0.03 * left]).astype(np.float32)
    assert is_call(call)
    turns = channel_turns(call)
    assert {t.speaker for t in turns if t.end <= 4.5} == {0}
    assert {t.speaker for t in turns if t.start >= 4.5} == {1}


def test_one_recording_in_two_channels_is_not_a_call(jfk: Path) -> None:
    speech = decode_audio(str(jfk))
    assert not is_call(np.stack([speech, speech * 0.9]))
