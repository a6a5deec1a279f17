"""Prices per model, in micro-units: per audio second and per character of speech input. 0 counts only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MICROS = 1_000_000


@dataclass(frozen=True)
class Price:
    audio_second_micros: int = 0
    character_micros: int = 0

    def cost(self, billed_ms: int, characters: int) -> int:
        """Integer micro-units, rounded up, so that a request is never cheaper than its price says."""
        return -(-billed_ms * self.audio_second_micros // 1000) + characters * self.character_micros


class Prices:
    """`{"base": {"audio_second": 0.0001, "character": 0}, "*": {...}}` in the currency's units."""

    def __init__(self, table: Mapping[str, Mapping[str, float]] | None = None) -> None:
        self._prices = {
            model: Price(
                round(entry.get("audio_second", 0) * MICROS), round(entry.get("character", 0) * MICROS)
            )
            for model, entry in (table or {}).items()
        }

    def of(self, model: str) -> Price:
        return self._prices.get(model) or self._prices.get("*") or Price()
