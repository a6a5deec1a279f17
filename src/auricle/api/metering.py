"""Keys checked against the accounts database, and each request admitted and settled there.

Nothing about a key is cached: a key revoked with the CLI is refused on its next request on every
replica. An open server (no static keys, no key in the database) meters nothing, as before accounts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import Request, Response
from prometheus_client import CollectorRegistry, Counter

from auricle.accounts import keys
from auricle.accounts.errors import KeyRefused, StoreUnavailable
from auricle.accounts.keys import Principal
from auricle.accounts.meter import Meter, Ticket
from auricle.accounts.prices import Prices
from auricle.accounts.store import Store
from auricle.accounts.usage import Usage
from auricle.api.auth import MISSING_KEY_MESSAGE, ApiKeys, Unauthorized
from auricle.api.context import request_id
from auricle.api.disconnect import ClientDisconnected
from auricle.api.metrics import Metrics
from auricle.config import Settings

logger = logging.getLogger(__name__)


class AccountCounters:
    """Per-account Prometheus counters. The label is the account's id, which an operator chose or
    the server minted: never a key, nor anything a client sent."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._requests = Counter(
            "auricle_account_requests",
            "Requests settled per account, by endpoint and status (completed, cancelled, failed).",
            ["account", "endpoint", "status"],
            registry=registry,
        )
        self._seconds = Counter(
            "auricle_account_billed_audio_seconds",
            "Audio seconds billed per account, by endpoint.",
            ["account", "endpoint"],
            registry=registry,
        )

    def settled(self, ticket: Ticket, status: str, billed_ms: int) -> None:
        account = ticket.principal.account_id
        self._requests.labels(account, ticket.endpoint, status).inc()
        self._seconds.labels(account, ticket.endpoint).inc(billed_ms / 1000)


class Metering:
    """The app's door to the accounts database."""

    def __init__(self, settings: Settings, url: str, static: ApiKeys, metrics: Metrics | None = None) -> None:
        self.store = Store(url)
        self.meter = Meter(self.store, Prices(settings.prices), lease_seconds=settings.lease_seconds)
        self.static_keys = settings.resolved_api_keys()
        self.static_digests = frozenset(keys.digest(key) for key in self.static_keys)
        self.fail_open = settings.metering_fail_open
        self._static = static
        self.counters = AccountCounters(metrics.registry) if metrics is not None else None

    def start(self) -> None:
        """Creates or migrates the database, and gives the static keys their rows."""
        self.store.migrate()
        keys.ensure_static_keys(self.store, self.static_keys)
        # Holds of requests lost with a process that died give their money back now, not at next use.
        self.meter.sweep()

    def close(self) -> None:
        self.store.close()

    def authenticate(self, authorization: str | None) -> Principal | None:
        """The request's principal; None on an open server, or when the store is down and fail-open."""
        try:
            return self._authenticate(authorization)
        except StoreUnavailable:
            if not self.fail_open:
                raise
            logger.warning("accounts database unreachable: serving uncounted (AURICLE_METERING_FAIL_OPEN)")
            self._static.check(authorization)
            return None

    def _authenticate(self, authorization: str | None) -> Principal | None:
        scheme, _, key = (authorization or "").partition(" ")
        key = key.strip()
        if scheme.lower() == "bearer" and key:
            try:
                # One primary-key read in the usual case: the key is found and live.
                return keys.authenticate(self.store, key, self.static_digests)
            except KeyRefused:
                if self._keys_required():
                    raise
                return None  # an open server takes any key, as before accounts
        if self._keys_required():
            raise Unauthorized(MISSING_KEY_MESSAGE)
        return None

    def _keys_required(self) -> bool:
        return bool(self.static_digests) or keys.any_managed_key(self.store)


async def authenticate(request: Request) -> None:
    """The /v1 dependency when metering is on: the principal goes on `request.state`."""
    metering: Metering = request.app.state.metering
    request.state.principal = await asyncio.to_thread(
        metering.authenticate, request.headers.get("authorization")
    )


@asynccontextmanager
async def metered(request: Request, endpoint: str) -> AsyncIterator[Usage]:
    """Admits the request (429 or 503 before its body is read), then settles it exactly once: failed on
    an error, cancelled if the client left, completed otherwise unless a stream took the settling over."""
    usage = await _admit(request, endpoint)
    usage.start(request.app.state.settings.request_timeout_seconds + 60)
    try:
        yield usage
    except (ClientDisconnected, asyncio.CancelledError):
        await usage.cancel()
        raise
    except BaseException:
        await usage.fail()
        raise
    if not usage.handed_off:
        await usage.complete()


async def _admit(request: Request, endpoint: str) -> Usage:
    metering: Metering | None = getattr(request.app.state, "metering", None)
    principal: Principal | None = getattr(request.state, "principal", None)
    if metering is None or principal is None:
        return Usage()
    rid = request_id(request.scope)
    try:
        ticket = await asyncio.to_thread(metering.meter.admit, principal, endpoint, "", rid)
    except StoreUnavailable:
        if not metering.fail_open:
            raise
        return Usage()
    return Usage(metering.meter, ticket, metering.counters.settled if metering.counters else None)


def with_rate_headers(usage: Usage, response: Response) -> Response:
    """OpenAI's `x-ratelimit-*-requests`, when the key has a requests-per-minute limit."""
    if usage.ticket is not None and usage.ticket.rate is not None:
        response.headers.update(usage.ticket.rate.headers())
    return response


async def settle_shielded(usage: Usage, delivered_seconds: float) -> None:
    with anyio.CancelScope(shield=True):
        await usage.cancel(delivered_seconds)
