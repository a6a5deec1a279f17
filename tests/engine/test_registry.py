"""The registry: ids and aliases, what English-only models refuse, and admission per model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from auricle.config import Settings
from auricle.engine.options import DecodeOptions
from auricle.engine.registry import ModelRegistry
from auricle.errors import Busy, InvalidRequest, NotFound
from tests.fakes import fake_registry_factory

pytestmark = pytest.mark.anyio


@pytest.fixture
def registry() -> Iterator[ModelRegistry]:
    registry = fake_registry_factory()(Settings(concurrency=1, max_queue=1, retry_after_seconds=3))
    yield registry
    registry.close()


def test_ids_are_models_then_aliases(registry: ModelRegistry) -> None:
    assert registry.ids == ["base", "tiny.en", "whisper-1"]
    assert registry.runner("whisper-1") is registry.runner("base")


def test_unknown_model(registry: ModelRegistry) -> None:
    with pytest.raises(NotFound) as caught:
        registry.runner("large-v3")
    assert caught.value.code == "model_not_found"


@pytest.mark.parametrize(
    ("options", "param"),
    [
        (DecodeOptions(task="translate"), "model"),
        (DecodeOptions(language="fr"), "language"),
        (DecodeOptions(languages=("fr", "de")), "languages"),
    ],
)
def test_english_only_model_refuses(registry: ModelRegistry, options: DecodeOptions, param: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        registry.check("tiny.en", options)
    assert caught.value.param == param
    registry.check("base", options)  # the multilingual model does both


async def test_admission_is_counted_per_model(registry: ModelRegistry) -> None:
    options = DecodeOptions()
    async with registry.admit("base", options), registry.admit("whisper-1", options):
        with pytest.raises(Busy) as caught:  # one in progress + one queued = base is full
            async with registry.admit("base", options):
                pass
        assert caught.value.retry_after_seconds == 3
        async with registry.admit("tiny.en", options):  # another model has its own capacity
            pass
    async with registry.admit("base", options):  # slots are given back
        pass


def test_english_among_the_candidates_is_fine_for_an_english_only_model(registry: ModelRegistry) -> None:
    registry.check("tiny.en", DecodeOptions(languages=("fr", "en")))
