"""What admission, reservation and settlement refuse with, as the service's own errors."""

from __future__ import annotations

from dataclasses import dataclass

from auricle.errors import AuricleError, Busy, Reason, Unavailable

QUOTA_MESSAGE = (
    "You exceeded your current quota, please check your plan and billing details. "
    "Ask the operator of this Auricle server for more quota."
)


@dataclass(frozen=True)
class RateInfo:
    """A key's requests-per-minute state after an admission: OpenAI's `x-ratelimit-*-requests`."""

    limit: int
    remaining: int
    reset_seconds: float

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit-requests": str(self.limit),
            "x-ratelimit-remaining-requests": str(self.remaining),
            "x-ratelimit-reset-requests": go_duration(self.reset_seconds),
        }


def go_duration(seconds: float) -> str:
    """OpenAI's reset values are Go durations: `12ms`, `1.2s`, `4m12.172s`."""
    if seconds < 1:
        return f"{max(0, round(seconds * 1000))}ms"
    minutes, rest = divmod(seconds, 60)
    text = f"{rest:.3f}".rstrip("0").rstrip(".") + "s"
    return f"{int(minutes)}m{text}" if minutes else text


class RateLimited(Busy):
    """429 `rate_limit_exceeded`, worth retrying after `retry_after_seconds`."""

    def __init__(self, message: str, *, retry_after: float, rate: RateInfo | None = None) -> None:
        super().__init__(message, retry_after_seconds=max(1, int(retry_after + 0.999)))
        self.retry_after_ms = max(1, int(retry_after * 1000))
        self.rate = rate


class QuotaExceeded(AuricleError):
    """429 `insufficient_quota`: no retry helps until someone tops the account up."""

    reason = Reason.QUOTA

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{QUOTA_MESSAGE} {detail}".strip(), code="insufficient_quota")


class StoreUnavailable(Unavailable):
    """The database could not be reached: nothing can be admitted or counted, so nothing is served."""

    def __init__(self) -> None:
        super().__init__("Usage could not be recorded; try again.", code="store_unavailable")


class KeyRefused(AuricleError):
    """401: unknown, revoked or expired key."""

    reason = Reason.UNAUTHORIZED
