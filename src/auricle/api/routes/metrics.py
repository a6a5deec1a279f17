"""GET /metrics: Prometheus' text format, outside /v1 and its keys, like /health.

Left out of the OpenAPI document: it is for Prometheus, not for OpenAI's clients.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from auricle.api.metrics import Metrics

router = APIRouter(tags=["metrics"])


@router.get("/metrics", include_in_schema=False)
async def prometheus_metrics(request: Request) -> Response:
    # Answered on the event loop's thread, where the counts the scrape reads are kept (`gauges.py`).
    metrics: Metrics = request.app.state.metrics
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
