"""What a realtime client says before the WebSocket opens: its key, its dialect, its subprotocols.

Browsers cannot set headers on a WebSocket, so OpenAI's browser clients send the key as a subprotocol,
`openai-insecure-api-key.<key>`, next to `realtime` (and `openai-beta.realtime-v1` for the beta
dialect). A browser drops a connection whose reply names none of the subprotocols it offered, so the
reply names `realtime` whenever it was offered. The beta dialect is chosen by the `OpenAI-Beta:
realtime=v1` header the SDKs' beta clients send, or its subprotocol.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.websockets import WebSocket

from auricle.errors import InvalidRequest
from auricle.formats.realtime import Dialect

KEY_PROTOCOL = "openai-insecure-api-key."
BETA_PROTOCOL = "openai-beta.realtime-v1"


@dataclass(frozen=True, slots=True)
class Handshake:
    dialect: Dialect
    authorization: str | None
    """As an `Authorization` header would carry it: `Bearer <key>`."""
    subprotocol: str | None
    """The one to name in the reply."""
    model: str | None
    """The `model` query parameter, which older SDKs always send."""


def read(websocket: WebSocket) -> Handshake:
    offered: list[str] = list(websocket.scope.get("subprotocols") or [])
    authorization = websocket.headers.get("authorization")
    for protocol in offered:
        if protocol.startswith(KEY_PROTOCOL) and authorization is None:
            authorization = "Bearer " + protocol.removeprefix(KEY_PROTOCOL)
    beta = "realtime=v1" in websocket.headers.get("openai-beta", "") or BETA_PROTOCOL in offered
    intent = websocket.query_params.get("intent")
    if intent != "transcription":
        raise InvalidRequest(
            "Auricle serves realtime transcription sessions only: connect to "
            "/v1/realtime?intent=transcription.",
            param="intent",
            code="invalid_value",
        )
    return Handshake(
        dialect="beta" if beta else "ga",
        authorization=authorization,
        subprotocol="realtime" if "realtime" in offered else None,
        model=websocket.query_params.get("model"),
    )
