"""POST /v1/audio/speech, and the model and voice lists Open WebUI reads (`/v1/audio/models`, `/voices`).

The answer starts once the first clause is read and encoded, so whatever is wrong with the request (bad
input, an unknown model, a full server) is still an ordinary HTTP error the SDKs raise from `create()`.
Then each further piece of text is read and sent in turn, so a client that reads slowly holds back the
synthesis, and one that goes away stops it (Starlette cancels the body) after the piece in hand.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from auricle.accounts.usage import Usage
from auricle.api.context import current_request, request_id
from auricle.api.deps import SettingsDep
from auricle.api.disconnect import until_disconnected
from auricle.api.metering import metered, with_rate_headers
from auricle.api.openapi import json_body
from auricle.api.speech_body import SpeechBody, parse_speech
from auricle.api.speech_metrics import SpeechMetrics
from auricle.api.speech_stream import SpeechStream
from auricle.audio.encode import FORMATS
from auricle.config import Settings
from auricle.formats import speech_events
from auricle.synthesis.catalogue import NATIVE_VOICES, OPENAI_VOICES, SPEECH_MODELS, VOICE_NAMES, speech_model
from auricle.synthesis.rendition import Rendition, prepare
from auricle.synthesis.synthesizer import Casting, Synthesizer

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/audio", tags=["audio"])
# Proxies (nginx) buffer a response unless told not to.
_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_SPEECH_BODY = json_body(
    SpeechBody,
    {
        200: {
            "description": "The audio, chunked; or with `stream_format: sse`, speech.audio.* events.",
            "content": {
                **{audio.media_type: _BINARY for audio in FORMATS.values()},
                speech_events.MEDIA_TYPE: {"schema": {"type": "string"}},
            },
        }
    },
)


@router.post("/speech", openapi_extra=_SPEECH_BODY, response_class=Response)
async def create_speech(request: Request, settings: SettingsDep) -> Response:
    # Admitted (rate, in-flight, quota) before the body is read; settled once, when the answer ends.
    async with metered(request, "speech") as usage:
        return with_rate_headers(usage, await _speech(request, settings, usage))


async def _speech(request: Request, settings: Settings, usage: Usage) -> Response:
    speech = parse_speech(await request.body())
    model = speech_model(speech.model)
    synthesizer: Synthesizer = request.app.state.synthesizer
    casting = synthesizer.cast(speech.voice_id)
    texts = prepare(speech.input, settings.speech_max_piece_chars)
    if (facts := current_request()) is not None:
        facts.model = model
    usage.set_model(model)
    # The whole input's price is held before a word is read: a key that cannot pay is refused first.
    await asyncio.to_thread(usage.reserve_characters, len(speech.input))
    stack = AsyncExitStack()
    await stack.enter_async_context(synthesizer.admit())
    try:
        rendition = Rendition(synthesizer, casting.voice_id, texts, speech.response_format, speech.speed)
        stream = SpeechStream(synthesizer.executor, synthesizer.encoders, rendition)
        stack.push_async_callback(stream.close)
        first = await until_disconnected(request.receive, _first(stream))
    except BaseException:
        await stack.aclose()
        raise
    logger.info(
        "speech: model=%s voice=%s read_by=%s chars=%d pieces=%d format=%s speed=%g stream=%s",
        model, speech.voice_id, casting.voice_id, len(speech.input), len(texts), speech.response_format,
        speech.speed, speech.stream_format,
    )  # fmt: skip
    done = _Done(stack, request.app.state.speech_metrics, model, speech, rendition, usage=usage)
    usage.handed_off = True  # settled by `done`, once the answer has been sent or given up
    sse = speech.stream_format == "sse"
    body = _body(stream, first, sse=sse, done=done, rid=request_id(request.scope))
    media_type = (
        speech_events.MEDIA_TYPE
        if speech.stream_format == "sse"
        else FORMATS[speech.response_format].media_type
    )
    headers = _HEADERS | _voice_headers(casting)
    return StreamingResponse(
        body, media_type=media_type, headers=headers, background=BackgroundTask(done.close)
    )


def _voice_headers(casting: Casting) -> dict[str, str]:
    headers = {"x-auricle-voice": casting.voice_id}
    if casting.fallback:
        headers["x-auricle-voice-fallback"] = (
            f"{casting.choice.voice_id} is not installed; read by {casting.voice_id}"
        )
    return headers


async def _first(stream: SpeechStream) -> bytes:
    """The first bytes with audio in them (or the whole answer, if no piece made a sound)."""
    first = b""
    while not first and (data := await stream.next_bytes()) is not None:
        first = data
    return first


class _Done:
    """Lets go of the request's place and counts what it sent, once, whichever way its answer ends."""

    def __init__(
        self,
        stack: AsyncExitStack,
        metrics: SpeechMetrics | None,
        model: str,
        speech: SpeechBody,
        rendition: Rendition,
        *,
        usage: Usage,
    ) -> None:
        self._stack, self._metrics, self._model, self._speech = stack, metrics, model, speech
        self._rendition, self._usage = rendition, usage
        self._closed = False
        self.sent = False
        """Whether the whole answer went out; one that did not is billed nothing (`accounts/usage.py`)."""

    @property
    def seconds(self) -> float:
        return self._rendition.seconds

    @property
    def characters(self) -> int:
        return len(self._speech.input)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._stack.aclose()
        await (self._usage.complete() if self.sent else self._usage.cancel())
        if (facts := current_request()) is not None:
            facts.audio_seconds += self._rendition.seconds
        if self._metrics is not None:
            model = self._model if self._model in SPEECH_MODELS else "gpt-4o-mini-tts"
            self._metrics.spoke(model, self._speech.voice_id, self.characters, self._rendition.seconds)


async def _body(
    stream: SpeechStream, first: bytes, *, sse: bool, done: _Done, rid: str
) -> AsyncIterator[bytes]:
    try:
        data: bytes | None = first
        while data is not None:
            if data:
                yield speech_events.delta(data) if sse else data
            data = await stream.next_bytes()
        if sse:
            yield speech_events.done(done.characters, done.seconds)
        done.sent = True
    except Exception:
        # Past the first byte no status can be sent: the stream ends short, and the log says why.
        logger.exception("speech stream of request %s failed", rid)
    finally:
        await done.close()


@router.get("/models")
async def list_speech_models() -> dict[str, Any]:
    """Open WebUI fills its TTS model menu from this."""
    return {"models": [{"id": model_id} for model_id in SPEECH_MODELS]}


@router.get("/voices")
async def list_voices(request: Request) -> dict[str, Any]:
    """Open WebUI fills its voice menu from this: OpenAI's names, then the bundled voices by their own."""
    synthesizer: Synthesizer = request.app.state.synthesizer
    voices = [{"id": name, "name": f"{name} ({synthesizer.reader(name)})"} for name in OPENAI_VOICES]
    installed = [voice_id for voice_id in NATIVE_VOICES if NATIVE_VOICES[voice_id] in synthesizer.installed]
    voices += [{"id": voice_id, "name": VOICE_NAMES[NATIVE_VOICES[voice_id]]} for voice_id in installed]
    return {"voices": voices}
