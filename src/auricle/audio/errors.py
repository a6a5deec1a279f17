"""What can be wrong with uploaded audio, in OpenAI's wording where OpenAI has one."""

from __future__ import annotations

from auricle.errors import InvalidRequest

MIN_SECONDS = 0.1


class UndecodableAudio(InvalidRequest):
    def __init__(self) -> None:
        super().__init__("Audio file might be corrupted or unsupported", param="file", code="invalid_value")


class NoAudioStream(InvalidRequest):
    def __init__(self) -> None:
        super().__init__(
            "The file contains no audio stream; send a recording with sound.",
            param="file",
            code="invalid_value",
        )


class AudioTooShort(InvalidRequest):
    def __init__(self) -> None:
        super().__init__(
            f"Audio file is too short. Minimum audio length is {MIN_SECONDS} seconds.",
            param="file",
            code="audio_too_short",
        )


class AudioTooLong(InvalidRequest):
    def __init__(self, max_seconds: float) -> None:
        super().__init__(
            f"Audio file is too long. Maximum audio length is {max_seconds:g} seconds.",
            param="file",
            code="audio_too_long",
        )
