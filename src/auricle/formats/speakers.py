"""One entry point for a transcript with speakers, in any response format (the API's and the CLI's)."""

from __future__ import annotations

from auricle.engine.transcript import Transcript
from auricle.formats import diarized
from auricle.formats.render import JSON_MEDIA_TYPE, TEXT_MEDIA_TYPE, Rendered, ResponseFormat, render
from auricle.speakers.assign import spoken
from auricle.speakers.turns import Diarization


def render_with_speakers(
    transcript: Transcript, found: Diarization, response_format: ResponseFormat, *, words: bool = False
) -> Rendered:
    """`json` and `text` carry no speakers (as OpenAI's); the others do."""
    pieces = spoken(transcript, found)
    match response_format:
        case ResponseFormat.DIARIZED_JSON:
            return Rendered(diarized.encode(diarized.diarized_json(transcript, pieces)), JSON_MEDIA_TYPE)
        case ResponseFormat.VERBOSE_JSON:
            body = diarized.verbose_json(transcript, found, words=words)
            return Rendered(diarized.encode(body), JSON_MEDIA_TYPE)
        case ResponseFormat.SRT:
            return Rendered(diarized.srt(pieces), TEXT_MEDIA_TYPE)
        case ResponseFormat.VTT:
            return Rendered(diarized.vtt(pieces), TEXT_MEDIA_TYPE)
        case _:
            return render(transcript, response_format)
