"""POST /v1/audio/transcriptions and /v1/audio/translations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData, UploadFile

from auricle.api.deps import RegistryDep, SettingsDep
from auricle.api.form import AudioForm, TranscriptionForm, TranslationForm, parse
from auricle.api.openapi import multipart_body
from auricle.audio.decode import decode
from auricle.engine.options import DecodeOptions
from auricle.engine.registry import ModelRegistry
from auricle.errors import InvalidRequest
from auricle.formats.render import render

router = APIRouter(prefix="/audio", tags=["audio"])

_MAX_FIELDS = 64
_MAX_FILES = 4


@router.post("/transcriptions", openapi_extra=multipart_body(TranscriptionForm))
async def create_transcription(request: Request, registry: RegistryDep, settings: SettingsDep) -> Response:
    async with _multipart(request) as form:
        upload, fields = parse(TranscriptionForm, form)
        options = DecodeOptions(
            task="transcribe",
            language=fields.language,
            prompt=fields.prompt,
            temperature=fields.temperature,
            word_timestamps=fields.words,
        )
        return await _respond(registry, upload, fields, options, settings.max_audio_seconds)


@router.post("/translations", openapi_extra=multipart_body(TranslationForm))
async def create_translation(request: Request, registry: RegistryDep, settings: SettingsDep) -> Response:
    async with _multipart(request) as form:
        upload, fields = parse(TranslationForm, form)
        options = DecodeOptions(task="translate", prompt=fields.prompt, temperature=fields.temperature)
        return await _respond(registry, upload, fields, options, settings.max_audio_seconds)


async def _respond(
    registry: ModelRegistry, upload: UploadFile, fields: AudioForm, options: DecodeOptions, max_seconds: float
) -> Response:
    async with registry.admit(fields.model, options) as runner:
        samples = await asyncio.to_thread(decode, upload.file, max_seconds)
        transcript = await runner.transcribe(samples, options)
    if isinstance(fields, TranscriptionForm):
        rendered = render(transcript, fields.response_format, segments=fields.segments, words=fields.words)
    else:
        rendered = render(transcript, fields.response_format)
    return Response(rendered.body, media_type=rendered.media_type)


@asynccontextmanager
async def _multipart(request: Request) -> AsyncIterator[FormData]:
    """The request's multipart form, closed (its spooled files deleted) on every path."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise InvalidRequest(
            f"Expected a multipart/form-data body, got content type '{content_type or 'none'}'.",
            code="invalid_content_type",
        )
    form = await request.form(max_files=_MAX_FILES, max_fields=_MAX_FIELDS)
    try:
        yield form
    finally:
        await form.close()
