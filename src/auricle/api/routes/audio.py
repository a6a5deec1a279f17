"""POST /v1/audio/transcriptions and /v1/audio/translations."""

from __future__ import annotations

import asyncio
from functools import partial

from fastapi import APIRouter, Request, Response
from starlette.datastructures import UploadFile

from auricle.accounts.usage import Usage
from auricle.api import diarization
from auricle.api.deps import RegistryDep, SettingsDep
from auricle.api.disconnect import until_disconnected
from auricle.api.form import AudioForm, TranscriptionForm, TranslationForm, parse
from auricle.api.metering import metered, with_rate_headers
from auricle.api.multipart import multipart_form
from auricle.api.openapi import multipart_body
from auricle.api.streaming import stream
from auricle.audio.decode import decode, probe
from auricle.config import Settings
from auricle.engine.options import DecodeOptions
from auricle.engine.registry import ModelRegistry
from auricle.engine.runner import Progress
from auricle.engine.transcript import Transcript
from auricle.errors import TimedOut
from auricle.formats.bodies import Details
from auricle.formats.render import render

router = APIRouter(prefix="/audio", tags=["audio"])


@router.post("/transcriptions", openapi_extra=multipart_body(TranscriptionForm))
async def create_transcription(request: Request, registry: RegistryDep, settings: SettingsDep) -> Response:
    # Admitted (rate, in-flight, quota) before the body is read; settled once, whatever happens.
    async with metered(request, "transcriptions") as usage:
        return with_rate_headers(usage, await _transcription(request, registry, settings, usage))


async def _transcription(
    request: Request, registry: ModelRegistry, settings: Settings, usage: Usage
) -> Response:
    async with multipart_form(request) as form:
        upload, fields = parse(TranscriptionForm, form, max_prompt_chars=settings.max_prompt_chars)
        usage.set_model(fields.model)
        if diarization.applies(fields, settings):
            diarization.refuse(fields, settings)
            if diarization.wants_speakers(fields, settings):
                done = await diarization.transcribe_with_speakers(
                    request, registry, settings, upload, fields, usage=usage
                )
                return diarization.rendered(*done, fields)
            fields = fields.model_copy(update={"model": diarization.recogniser(fields, settings)})
        options = DecodeOptions(
            task="transcribe",
            language=fields.language,
            prompt=fields.prompt,
            temperature=fields.temperature,
            # A word's probability comes from the pass that times words (`formats/logprobs.py`).
            word_timestamps=fields.words or fields.logprobs or fields.timings,
            chunking=fields.chunking_strategy,
            languages=fields.languages,
            keywords=fields.keywords,
        )
        if fields.stream:
            work = partial(
                _transcribe, registry, upload, fields.model, options, settings.max_audio_seconds, usage=usage
            )
            timeout = settings.request_timeout_seconds
            details = Details(
                languages=bool(fields.languages), logprobs=fields.logprobs, timings=fields.timings
            )
            return await stream(request, work, timeout, details, usage=usage)
        return await _respond(
            request, registry, settings, upload=upload, fields=fields, options=options, usage=usage
        )


@router.post("/translations", openapi_extra=multipart_body(TranslationForm))
async def create_translation(request: Request, registry: RegistryDep, settings: SettingsDep) -> Response:
    async with metered(request, "translations") as usage, multipart_form(request) as form:
        upload, fields = parse(TranslationForm, form, max_prompt_chars=settings.max_prompt_chars)
        usage.set_model(fields.model)
        options = DecodeOptions(task="translate", prompt=fields.prompt, temperature=fields.temperature)
        response = await _respond(
            request, registry, settings, upload=upload, fields=fields, options=options, usage=usage
        )
        return with_rate_headers(usage, response)


async def _respond(
    request: Request,
    registry: ModelRegistry,
    settings: Settings,
    *,
    upload: UploadFile,
    fields: AudioForm,
    options: DecodeOptions,
    usage: Usage,
) -> Response:
    work = _transcribe(registry, upload, fields.model, options, settings.max_audio_seconds, usage=usage)
    try:
        async with asyncio.timeout(settings.request_timeout_seconds):
            transcript = await until_disconnected(request.receive, work)
    except TimeoutError:
        raise TimedOut(settings.request_timeout_seconds) from None
    if isinstance(fields, TranscriptionForm):
        rendered = render(
            transcript,
            fields.response_format,
            segments=fields.segments,
            words=fields.words,
            details=Details(languages=bool(fields.languages), logprobs=fields.logprobs),
        )
    else:
        rendered = render(transcript, fields.response_format)
    return Response(rendered.body, media_type=rendered.media_type)


async def _transcribe(
    registry: ModelRegistry,
    upload: UploadFile,
    model: str,
    options: DecodeOptions,
    max_seconds: float,
    *,
    progress: Progress | None = None,
    usage: Usage | None = None,
) -> Transcript:
    async with registry.admit(model, options) as runner:
        await asyncio.to_thread(probe, upload.file)
        audio = partial(decode, upload.file, max_seconds)
        # Held once the audio's length is known and before inference: a file too long is refused whole.
        return await runner.transcribe(usage.reserving(audio) if usage else audio, options, progress)
