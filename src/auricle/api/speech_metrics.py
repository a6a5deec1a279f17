"""What `/metrics` says about speech: characters read and seconds of audio made, per model and voice.

Labels are only ids the service knows: a speech model id it accepted and the voice name it accepted.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter


class SpeechMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self._characters = Counter(
            "auricle_speech_characters",
            "Characters of input text read aloud, by model and voice (as requested).",
            ["model", "voice"],
            registry=registry,
        )
        self._audio_seconds = Counter(
            "auricle_speech_audio_seconds",
            "Seconds of speech audio sent, by model and voice (as requested).",
            ["model", "voice"],
            registry=registry,
        )

    def spoke(self, model: str, voice: str, characters: int, audio_seconds: float) -> None:
        self._characters.labels(model, voice).inc(characters)
        self._audio_seconds.labels(model, voice).inc(audio_seconds)
