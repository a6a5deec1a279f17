"""bench.fallback's recorder: one decode per temperature, each recorded, faster-whisper's choice kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from bench.fallback import recording
from faster_whisper import WhisperModel

from tests.support.whisper_options import options


@dataclass(frozen=True)
class Result:
    sequences_ids: list[list[int]]
    no_speech_prob: float = 0.05


class Tokenizer:
    timestamp_begin = 100

    def decode(self, tokens: list[int]) -> str:
        return " ".join(str(token) for token in tokens)


class Encoded:
    shape = (1, 1500, 512)


def test_each_temperature_is_recorded_until_one_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {0.0: (-1.4, 0.9), 0.2: (-0.3, 9.0), 0.4: (-0.5, 1.1)}

    def original(_self: Any, _encoded: Any, _prompt: Any, _tokenizer: Any, one: Any) -> Any:
        temperature = one.temperatures[0]
        avg_logprob, ratio = answers[temperature]
        return Result([[1, 2, 101]]), avg_logprob, temperature, ratio

    monkeypatch.setattr(WhisperModel, "generate_with_fallback", original)
    decodes: list[dict[str, Any]] = []
    decoded = recording(decodes)(None, Encoded(), [], Tokenizer(), options())
    assert [(d["t"], d["fail"], d["fcr"]) for d in decodes] == [
        (0.0, True, False),
        (0.2, True, True),
        (0.4, False, False),
    ]
    assert decodes[0]["text"] == "1 2"
    assert decodes[0]["frames"] == 1500
    assert decoded[1:] == (-0.5, 0.4, 1.1)
