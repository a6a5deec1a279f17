"""GET /health (the process is alive) and GET /ready (every model is loaded)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from auricle.api.deps import RegistryDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, Any]:
    return {"status": "ok"}


@router.get("/ready")
async def ready(registry: RegistryDep) -> JSONResponse:
    if registry.ready:
        return JSONResponse({"status": "ready", "models": registry.ids})
    return JSONResponse({"status": "loading"}, status_code=503, headers={"retry-after": "1"})
