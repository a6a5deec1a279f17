from __future__ import annotations

from pathlib import Path

import numpy as np
from faster_whisper.vad import get_vad_model

from auricle.live.vad import CHUNK, StreamingVad
from tests.support.speech import samples_of


def test_a_stream_fed_in_pieces_gets_the_whole_recording_s_probabilities(jfk: Path) -> None:
    audio = samples_of(jfk)
    audio = audio[: len(audio) // CHUNK * CHUNK]
    whole = np.asarray(get_vad_model()(audio)).reshape(-1)
    vad = StreamingVad()
    sizes = np.random.default_rng(0).integers(1, 3000, size=len(audio))
    pieces, offset = [], 0
    for size in sizes:
        if offset >= len(audio):
            break
        pieces.append(vad.feed(audio[offset : offset + size]))
        offset += int(size)
    streamed = np.concatenate(pieces)
    assert streamed.shape == whole.shape
    np.testing.assert_allclose(streamed, whole, atol=1e-5)
    assert 0.3 < float(np.mean(whole > 0.5)) < 0.9  # jfk.flac is mostly speech, with pauses
