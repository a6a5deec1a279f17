"""GET /v1/models and /v1/models/{id}, in OpenAI's `Model` shape."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from auricle.api.deps import RegistryDep
from auricle.synthesis.catalogue import SPEECH_MODELS

router = APIRouter(prefix="/models", tags=["models"])


def _model(model_id: str, created: int) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": created, "owned_by": "auricle"}


@router.get("")
async def list_models(request: Request, registry: RegistryDep) -> dict[str, Any]:
    created: int = request.app.state.started_at
    models = [_model(model_id, created) for model_id in registry.ids]
    # The speech models (`POST /v1/audio/speech`) after the transcription ones.
    models += [_model(model_id, created) for model_id in SPEECH_MODELS]
    return {"object": "list", "data": models}


@router.get("/{model_id:path}")
async def retrieve_model(model_id: str, request: Request, registry: RegistryDep) -> dict[str, Any]:
    if model_id not in SPEECH_MODELS:
        registry.runner(model_id)  # 404 in OpenAI's wording when unknown
    return _model(model_id, request.app.state.started_at)
