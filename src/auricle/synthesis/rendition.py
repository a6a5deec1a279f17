"""One request's speech: its text read piece by piece and encoded into one file as it goes."""

from __future__ import annotations

import re

from auricle.audio.encode import ResponseFormat, StreamEncoder
from auricle.errors import InvalidRequest
from auricle.synthesis.normalize import clean, normalize
from auricle.synthesis.protocol import Samples
from auricle.synthesis.split import pieces
from auricle.synthesis.synthesizer import Synthesizer

# Both voices read English only: a text with no Latin letter left after normalisation would be silence.
_READABLE = re.compile(r"[A-Za-z]")


def prepare(text: str, max_piece_chars: int) -> list[str]:
    """The pieces a voice reads for `text`, or a 400 when there is nothing a voice can say."""
    if not clean(text):
        raise InvalidRequest(
            "'input' is empty: give the text to speak (1 to 4096 characters).",
            param="input",
            code="empty_input",
        )
    spoken = normalize(text)
    if not _READABLE.search(spoken):
        raise InvalidRequest(
            "'input' has nothing the voices can read: they speak English (Latin script) only.",
            param="input",
            code="unsupported_language",
        )
    return pieces(spoken, max_piece_chars)


class Rendition:
    """One request's pieces, read by `read_next()` and encoded by `encode()`, both on worker threads.

    The two may run at once, the next piece read while the last one is encoded: they share no state but
    the count of pieces, which only `read_next` moves.
    """

    def __init__(
        self,
        synthesizer: Synthesizer,
        voice_id: str,
        texts: list[str],
        response_format: ResponseFormat,
        speed: float,
    ) -> None:
        self._synthesizer = synthesizer
        self._voice_id = voice_id
        self._texts = texts
        self._format: ResponseFormat = response_format
        self._speed = speed
        self._encoder: StreamEncoder | None = None
        self._next = 0

    @property
    def seconds(self) -> float:
        """Seconds of audio encoded so far."""
        return 0.0 if self._encoder is None else self._encoder.seconds

    @property
    def pieces_read(self) -> int:
        return self._next

    def read_next(self) -> Samples | None:
        """The next piece's speech, or None once every piece has been read."""
        if self._next >= len(self._texts):
            return None
        self._next += 1
        return self._synthesizer.synthesize(self._voice_id, self._texts[self._next - 1])

    def encode(self, samples: Samples | None) -> bytes:
        """The bytes ready to send after `samples`; None closes the file and returns its last bytes."""
        if self._encoder is None:
            rate = self._synthesizer.sample_rate(self._voice_id)
            self._encoder = StreamEncoder(self._format, rate, self._speed)
        if samples is None:
            return self._encoder.finish()
        return self._encoder.encode(samples)
