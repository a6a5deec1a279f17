"""The configured models by id and alias, and the admission limit in front of them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

from auricle.engine.observer import Observer
from auricle.engine.options import DecodeOptions
from auricle.engine.runner import ModelRunner
from auricle.errors import Busy, InvalidRequest, NotFound


@dataclass(frozen=True, slots=True)
class Admission:
    """Requests beyond what a model decodes at once wait, up to `max_queue` of them per model."""

    max_queue: int
    retry_after_seconds: int


class ModelRegistry:
    def __init__(
        self, runners: Mapping[str, ModelRunner], aliases: Mapping[str, str], admission: Admission
    ) -> None:
        self._runners = dict(runners)
        self._aliases = dict(aliases)
        self._admission = admission
        # Per model: each runner has its own threads, so each has its own queue in front of them.
        self._in_flight = dict.fromkeys(self._runners, 0)
        self._observer: Observer | None = None

    def observe(self, observer: Observer) -> None:
        """Tell `observer` of every request's model, and of every transcription and batch from now on."""
        self._observer = observer
        for runner in self._runners.values():
            runner.observer = observer

    @property
    def runners(self) -> Mapping[str, ModelRunner]:
        """Each configured model's runner, by model id (aliases left out)."""
        return dict(self._runners)

    @property
    def ids(self) -> list[str]:
        """Every id a client may name: the models, then their aliases."""
        return [*self._runners, *self._aliases]

    def runner(self, requested: str) -> ModelRunner:
        model_id = self._aliases.get(requested, requested)
        runner = self._runners.get(model_id)
        if runner is None:
            raise NotFound(
                f"The model `{requested}` does not exist or you do not have access to it.",
                code="model_not_found",
            )
        return runner

    def wait_loaded(self) -> None:
        for runner in self._runners.values():
            runner.wait_loaded()

    @property
    def ready(self) -> bool:
        return all(runner.ready for runner in self._runners.values())

    def check(self, requested: str, options: DecodeOptions) -> ModelRunner:
        """The runner for `requested`, if it exists and can do what `options` ask."""
        runner = self.runner(requested)
        check_model_supports(requested, runner.multilingual, options)
        return runner

    @asynccontextmanager
    async def admit(self, requested: str, options: DecodeOptions) -> AsyncIterator[ModelRunner]:
        """A slot on the requested model for the whole request, decoding included, or `Busy` at once.

        Taken before the upload is decoded, so a server at capacity refuses work before spending any on it.
        """
        runner = self.runner(requested)
        if self._observer is not None:
            self._observer.requested(runner.model_id)
        check_model_supports(requested, runner.multilingual, options)
        capacity = runner.concurrency + self._admission.max_queue
        if self._in_flight[runner.model_id] >= capacity:
            raise Busy(
                f"Model '{requested}' is at capacity ({capacity} requests in progress or queued). "
                f"Please try again in {self._admission.retry_after_seconds}s.",
                retry_after_seconds=self._admission.retry_after_seconds,
            )
        # The event loop is single-threaded, so the counters need no lock.
        self._in_flight[runner.model_id] += 1
        try:
            yield runner
        finally:
            self._in_flight[runner.model_id] -= 1

    def close(self) -> None:
        for runner in self._runners.values():
            runner.close()


def check_model_supports(requested: str, multilingual: bool, options: DecodeOptions) -> None:
    """English-only models can neither translate nor hear another language."""
    if multilingual:
        return
    if options.task == "translate":
        raise InvalidRequest(
            f"Model '{requested}' is English-only and cannot translate; use a multilingual model.",
            param="model",
            code="unsupported_value",
        )
    if options.languages and "en" not in options.languages:
        raise InvalidRequest(
            f"Model '{requested}' is English-only; none of languages {list(options.languages)} is English.",
            param="languages",
            code="unsupported_language",
        )
    if options.language not in (None, "en"):
        raise InvalidRequest(
            f"Model '{requested}' is English-only; language '{options.language}' is not supported.",
            param="language",
            code="unsupported_language",
        )
