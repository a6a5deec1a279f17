"""Transcriptions with speakers: `gpt-4o-transcribe-diarize`, `diarized_json`, known speakers, hints.

`chunking_strategy` may be left out, at any length: it then means `auto`. OpenAI's live API answers 400
without it, but Auricle's spans of speech are its own either way, and a client written for OpenAI sends
it anyway. Beyond OpenAI, `verbose_json`, `srt` and `vtt` carry speakers with the diarize model, and
`diarized_json` runs the speaker stage with any model.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import re
import threading
from functools import partial

from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from starlette.datastructures import UploadFile

from auricle.accounts.usage import Usage
from auricle.api.disconnect import until_disconnected
from auricle.api.form import TranscriptionForm
from auricle.audio.decode import decode, probe
from auricle.audio.errors import AudioTooLong, AudioTooShort, NoAudioStream, UndecodableAudio
from auricle.audio.stereo import two_channels
from auricle.config import Settings
from auricle.engine.options import DecodeOptions
from auricle.engine.protocol import SAMPLE_RATE, Samples
from auricle.engine.registry import ModelRegistry
from auricle.engine.transcript import Transcript
from auricle.errors import InvalidRequest, TimedOut
from auricle.formats import diarized
from auricle.formats.render import ResponseFormat
from auricle.formats.speakers import render_with_speakers
from auricle.speakers import factory
from auricle.speakers.assign import spoken
from auricle.speakers.clustering import Count
from auricle.speakers.diarizer import Diarizer
from auricle.speakers.known import Reference
from auricle.speakers.stereo import is_call
from auricle.speakers.turns import Diarization

_SPEAKER_FORMATS = frozenset(
    {ResponseFormat.DIARIZED_JSON, ResponseFormat.VERBOSE_JSON, ResponseFormat.SRT, ResponseFormat.VTT}
)
_DATA_URL = re.compile(
    r"^data:(?P<type>[\w.+-]+/[\w.+-]+)?(?:;[\w.+-]+=[\w.+-]+)*;base64,(?P<data>.*)$", re.S
)
# OpenAI documents 2-10 s; its live API takes down to 1.2 s (shared/spec/openai-diarization.md §2.4).
_REFERENCE_SECONDS = (1.2, 10.0)
_LOCK = threading.Lock()


def applies(fields: TranscriptionForm, settings: Settings) -> bool:
    return fields.model in settings.diarize_models or fields.response_format is ResponseFormat.DIARIZED_JSON


def wants_speakers(fields: TranscriptionForm, settings: Settings) -> bool:
    if fields.response_format is ResponseFormat.DIARIZED_JSON:
        return True
    return fields.model in settings.diarize_models and fields.response_format in _SPEAKER_FORMATS


def recogniser(fields: TranscriptionForm, settings: Settings) -> str:
    if fields.model in settings.diarize_models:
        return settings.diarize_models[fields.model] or settings.default_model
    return fields.model


def refuse(fields: TranscriptionForm, settings: Settings) -> None:
    """What OpenAI refuses with its diarize model, and hints Auricle cannot honour."""
    if fields.model in settings.diarize_models:
        if fields.prompt is not None:
            raise InvalidRequest(
                "Prompt is not supported for diarization models", param="prompt", code="unsupported_value"
            )
        if "logprobs" in fields.include:
            raise InvalidRequest(
                f"logprobs are not supported with model '{fields.model}'.",
                param="include",
                code="unsupported_value",
            )
    for name in ("num_speakers", "min_speakers", "max_speakers"):
        value = getattr(fields, name)
        if value is not None and value > settings.max_speakers:
            raise InvalidRequest(
                f"Invalid '{name}': at most {settings.max_speakers} speakers are supported, got {value}.",
                param=name,
                code="invalid_value",
            )


def count(fields: TranscriptionForm, settings: Settings) -> Count:
    return Count(fields.num_speakers, fields.min_speakers or 1, fields.max_speakers or settings.max_speakers)


def references(fields: TranscriptionForm) -> list[Reference]:
    return [
        Reference(name, _reference_audio(url))
        for name, url in zip(fields.known_speaker_names, fields.known_speaker_references, strict=True)
    ]


def _reference_audio(url: str) -> Samples:
    found = _DATA_URL.match(url.strip())
    if found is None:
        raise _bad_reference(
            "Invalid 'known_speaker_references': each entry must be a data URL (data:audio/...;base64,...)."
        )
    try:
        payload = base64.b64decode(found["data"], validate=True)
    except (binascii.Error, ValueError):
        raise _bad_reference(
            "Invalid 'known_speaker_references': the data URL's base64 is malformed."
        ) from None
    try:
        samples = decode(io.BytesIO(payload), 60.0)
    except (UndecodableAudio, NoAudioStream, AudioTooShort, AudioTooLong):
        raise _bad_reference(
            "Invalid 'known_speaker_references': a reference is not audio that can be decoded."
        ) from None
    seconds = samples.size / SAMPLE_RATE
    low, high = _REFERENCE_SECONDS
    if not low <= seconds <= high:
        raise _bad_reference(
            f"Known speaker references has duration {seconds:.2f} seconds, "
            f"but must be between {low} and {high} seconds"
        )
    return samples


def _bad_reference(message: str) -> InvalidRequest:
    return InvalidRequest(message, param="known_speaker_references", code="invalid_value")


def diarizer(request: Request, settings: Settings) -> Diarizer:
    """Built on first use (0.1 s) and kept on the app: requests without speakers never load it."""
    with _LOCK:
        found: Diarizer | None = getattr(request.app.state, "speaker_diarizer", None)
        if found is None:
            found = factory.build(settings)
            request.app.state.speaker_diarizer = found
        return found


def speakers_of(
    diarizer: Diarizer, upload: UploadFile, settings: Settings, hints: Count, known: list[Reference]
) -> Diarization:
    """Runs on a worker thread, after transcription, on the same upload decoded again."""
    upload.file.seek(0)
    channels = two_channels(upload.file, settings.max_audio_seconds)
    if channels is not None and is_call(channels):
        return diarizer.diarize_channels(channels, known)
    samples = decode(upload.file, settings.max_audio_seconds)
    return diarizer.diarize(samples, hints, known)


async def transcribe_with_speakers(
    request: Request,
    registry: ModelRegistry,
    settings: Settings,
    upload: UploadFile,
    fields: TranscriptionForm,
    *,
    usage: Usage | None = None,
) -> tuple[Transcript, Diarization]:
    refuse(fields, settings)
    known = await asyncio.to_thread(references, fields)
    stage = diarizer(request, settings)
    options = _options(fields, words=True)
    hints = count(fields, settings)

    async def work() -> tuple[Transcript, Diarization]:
        async with registry.admit(recogniser(fields, settings), options) as runner:
            await asyncio.to_thread(probe, upload.file)
            audio = partial(decode, upload.file, settings.max_audio_seconds)
            # Held once the audio's length is known, before inference, as any transcription (metering).
            transcript = await runner.transcribe(usage.reserving(audio) if usage else audio, options, None)
            found = await asyncio.to_thread(speakers_of, stage, upload, settings, hints, known)
            return transcript, found

    try:
        async with asyncio.timeout(settings.request_timeout_seconds):
            return await until_disconnected(request.receive, work())
    except TimeoutError:
        raise TimedOut(settings.request_timeout_seconds) from None


def _options(fields: TranscriptionForm, *, words: bool) -> DecodeOptions:
    return DecodeOptions(
        task="transcribe",
        language=fields.language,
        prompt=None,
        temperature=fields.temperature,
        word_timestamps=words,
        chunking=fields.chunking_strategy,
        languages=fields.languages,
        keywords=fields.keywords,
    )


def rendered(transcript: Transcript, found: Diarization, fields: TranscriptionForm) -> Response:
    if fields.stream:
        pieces = spoken(transcript, found)
        events = [f"data: {diarized.encode(e)}\n\n".encode() for e in diarized.events(transcript, pieces)]
        return StreamingResponse(
            iter(events), media_type="text/event-stream", headers={"cache-control": "no-cache"}
        )
    out = render_with_speakers(transcript, found, fields.response_format, words=fields.words)
    return Response(out.body, media_type=out.media_type)
