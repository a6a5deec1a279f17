"""GET /v1/models and /v1/models/{id}, in OpenAI's `Model` shape."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from auricle.api.deps import RegistryDep, SettingsDep
from auricle.synthesis.catalogue import SPEECH_MODELS

router = APIRouter(prefix="/models", tags=["models"])


def _model(model_id: str, created: int) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": created, "owned_by": "auricle"}


@router.get("")
async def list_models(request: Request, registry: RegistryDep, settings: SettingsDep) -> dict[str, Any]:
    created: int = request.app.state.started_at
    # The transcription models, the speaker stage's ids (api/diarization.py), then the speech models
    # (`POST /v1/audio/speech`).
    ids = [*registry.ids, *settings.diarize_models, *SPEECH_MODELS]
    return {"object": "list", "data": [_model(model_id, created) for model_id in ids]}


@router.get("/{model_id:path}")
async def retrieve_model(
    model_id: str, request: Request, registry: RegistryDep, settings: SettingsDep
) -> dict[str, Any]:
    if model_id not in settings.diarize_models and model_id not in SPEECH_MODELS:
        registry.runner(model_id)  # 404 in OpenAI's wording when unknown
    return _model(model_id, request.app.state.started_at)
