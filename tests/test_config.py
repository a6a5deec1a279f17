"""`Settings`: defaults, `AURICLE_*` environment variables, and every configuration that must be refused."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsError

from auricle.config import BUNDLED_MODELS, Settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Whatever the environment of the person running the tests, start from no `AURICLE_*` variable."""
    for name in list(os.environ):
        if name.startswith("AURICLE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


# --- defaults ----------------------------------------------------------------------------------------------


def test_defaults(tmp_path: Path) -> None:
    settings = Settings()

    assert settings.models == {"base": "bundled:base", "tiny.en": "bundled:tiny.en"}
    assert settings.models == BUNDLED_MODELS
    assert settings.default_model == "base"
    assert settings.aliases == {"whisper-1": "base"}
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.device == "cpu"
    assert settings.compute_type == "int8"
    assert settings.workers == 0
    assert settings.resolved_workers() == len(os.sched_getaffinity(0))
    assert settings.cpu_threads == 1
    assert settings.concurrency == 8
    assert settings.max_batch == 8
    assert settings.max_queue == 16
    assert settings.max_body_bytes == 26_214_400
    assert settings.api_keys == []
    assert settings.api_keys_file is None
    assert settings.resolved_api_keys() == []
    assert settings.cache_dir == tmp_path / "xdg-cache" / "auricle"


def test_default_models_are_independent_copies() -> None:
    first, second = Settings(), Settings()

    assert first.models is not BUNDLED_MODELS
    assert first.models is not second.models
    assert first.aliases is not second.aliases


def test_cache_dir_without_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))

    assert Settings().cache_dir == tmp_path / ".cache" / "auricle"


def test_settings_are_frozen() -> None:
    settings = Settings()

    with pytest.raises(ValidationError):
        settings.port = 9000


def test_unknown_keyword_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Settings(modle="base")  # type: ignore[call-arg]


# --- environment -------------------------------------------------------------------------------------------


def test_reads_scalar_environment_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AURICLE_HOST", "0.0.0.0")
    monkeypatch.setenv("AURICLE_PORT", "9000")
    monkeypatch.setenv("AURICLE_DEVICE", "cuda")
    monkeypatch.setenv("AURICLE_COMPUTE_TYPE", "float16")
    monkeypatch.setenv("AURICLE_WORKERS", "4")
    monkeypatch.setenv("AURICLE_MAX_QUEUE", "0")
    monkeypatch.setenv("AURICLE_DEFAULT_MODEL", "tiny.en")
    monkeypatch.setenv("AURICLE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("AURICLE_LOG_LEVEL", "debug")

    settings = Settings()

    assert settings.host == "0.0.0.0"
    assert settings.port == 9000
    assert settings.device == "cuda"
    assert settings.compute_type == "float16"
    assert settings.workers == 4
    assert settings.resolved_workers() == 4
    assert settings.max_queue == 0
    assert settings.default_model == "tiny.en"
    assert settings.cache_dir == tmp_path / "cache"
    assert settings.log_level == "debug"


@pytest.mark.parametrize(
    ("value", "keys"),
    [
        ("a, b", ["a", "b"]),
        ("a,b", ["a", "b"]),
        ("  sk-one  ,sk-two,", ["sk-one", "sk-two"]),
        ("a,, ,b", ["a", "b"]),
        ("single", ["single"]),
        ("", []),
    ],
)
def test_api_keys_from_a_comma_separated_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, keys: list[str]
) -> None:
    monkeypatch.setenv("AURICLE_API_KEYS", value)

    settings = Settings()

    assert settings.api_keys == keys
    assert settings.resolved_api_keys() == keys


def test_api_keys_from_a_json_list_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    # config.py: "Operators write `AURICLE_API_KEYS=key1,key2`; JSON lists are accepted too."
    monkeypatch.setenv("AURICLE_API_KEYS", '["a", "b"]')

    assert Settings().api_keys == ["a", "b"]


def test_cors_origins_from_a_comma_separated_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AURICLE_CORS_ORIGINS", "https://chat.example.com, http://localhost:3000")

    assert Settings().cors_origins == ["https://chat.example.com", "http://localhost:3000"]


def test_api_keys_as_a_list_argument() -> None:
    assert Settings(api_keys=["a", "b"]).api_keys == ["a", "b"]


def test_models_and_aliases_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "AURICLE_MODELS", '{"small": "Systran/faster-whisper-small", "tiny.en": "bundled:tiny.en"}'
    )
    monkeypatch.setenv("AURICLE_DEFAULT_MODEL", "small")
    monkeypatch.setenv("AURICLE_ALIASES", '{"whisper-1": "small", "english": "tiny.en"}')

    settings = Settings()

    assert settings.models == {"small": "Systran/faster-whisper-small", "tiny.en": "bundled:tiny.en"}
    assert settings.default_model == "small"
    assert settings.aliases == {"whisper-1": "small", "english": "tiny.en"}


def test_no_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AURICLE_ALIASES", "{}")

    assert Settings().aliases == {}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AURICLE_PORT", "70000"),
        ("AURICLE_PORT", "-1"),
        ("AURICLE_PORT", "http"),
        ("AURICLE_WORKERS", "-1"),
        ("AURICLE_CONCURRENCY", "0"),
        ("AURICLE_MAX_QUEUE", "-1"),
        ("AURICLE_COMPUTE_TYPE", "int4"),
        ("AURICLE_DEVICE", "tpu"),
        ("AURICLE_DEFAULT_MODEL", "large-v3"),
        ("AURICLE_MODELS", "{}"),
        ("AURICLE_MODELS", '{"base": "bundled:base", "../x": "/x"}'),
        ("AURICLE_ALIASES", '{"whisper-1": "large-v3"}'),
    ],
)
def test_nonsense_in_the_environment_is_rejected(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(ValidationError):
        Settings()


def test_models_variable_that_is_not_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AURICLE_MODELS", "base=bundled:base")

    # pydantic-settings refuses it before validation, with its own ValueError.
    with pytest.raises(SettingsError, match=r"AURICLE_MODELS|models"):
        Settings()


# --- refused configurations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"default_model": "large-v3"}, "default_model 'large-v3' is not one of the models"),
        ({"aliases": {"whisper-1": "large-v3"}}, "alias 'whisper-1' points at unknown model 'large-v3'"),
        ({"aliases": {"base": "tiny.en"}}, "alias 'base' hides a model of the same id"),
        ({"models": {}}, "at least one model must be configured"),
        ({"models": {"base": "bundled:base", "..": "/tmp/x"}}, "model id '..'"),
        ({"models": {"base": "bundled:base", "../etc": "/tmp/x"}}, "model id '../etc'"),
        ({"models": {"base": "bundled:base", "org/model": "org/model"}}, "model id 'org/model'"),
        ({"models": {"base": "bundled:base", "/abs": "/abs"}}, "model id '/abs'"),
        ({"models": {"base": "bundled:base", "a\\b": "x"}}, "model id"),
        ({"models": {"base": "bundled:base", "": "x"}}, "model id ''"),
        ({"models": {"base": "bundled:base", ".hidden": "x"}}, "model id '.hidden'"),
        ({"models": {"base": "bundled:base", "x" * 65: "x"}}, "model id"),
        ({"models": {"base": "  "}}, "model 'base' has an empty source"),
        ({"port": 70000}, "less than or equal to 65535"),
        ({"workers": -1}, "greater than or equal to 0"),
        ({"cpu_threads": 0}, "greater than or equal to 1"),
        ({"concurrency": 0}, "greater than or equal to 1"),
        ({"max_batch": 0}, "greater than or equal to 1"),
        ({"batch_wait_ms": -1}, "greater than or equal to 0"),
        ({"max_queue": -1}, "greater than or equal to 0"),
        ({"compute_type": "int4"}, "compute_type"),
        ({"beam_size": 0}, "beam_size"),
        ({"max_audio_seconds": 0}, "max_audio_seconds"),
        ({"max_prompt_chars": 0}, "max_prompt_chars"),
        ({"window_margin_seconds": 0.5}, "must be 0 (off) or at least 1"),
        ({"window_margin_seconds": 31}, "window_margin_seconds"),
        ({"shortest_window_seconds": -1}, "shortest_window_seconds"),
        ({"request_timeout_seconds": 0}, "request_timeout_seconds"),
        ({"cors_origins": ["example.com"]}, "CORS origin 'example.com' must be"),
        ({"cors_origins": ["https://example.com/app"]}, "with no path"),
    ],
)
def test_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        Settings(**kwargs)


def test_api_keys_file_must_exist(tmp_path: Path) -> None:
    missing = tmp_path / "keys.txt"

    with pytest.raises(ValidationError, match=r"api_keys_file .* does not exist"):
        Settings(api_keys_file=missing)


def test_api_keys_file_must_be_a_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        Settings(api_keys_file=tmp_path)


@pytest.mark.parametrize("model_id", ["whisper-large-v3", "tiny.en", "org:model_1", "a", "x" * 64, "a..b"])
def test_accepted_model_ids(model_id: str) -> None:
    settings = Settings(models={model_id: "/models/x"}, default_model=model_id, aliases={})

    assert list(settings.models) == [model_id]


# --- resolved_api_keys -------------------------------------------------------------------------------------


def test_resolved_api_keys_reads_the_file(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text(
        "# Auricle keys, one per line\n"
        "sk-first\n"
        "\n"
        "   \n"
        "  sk-second  \n"
        "  # an indented comment\n"
        "sk-third\n"
        "#sk-disabled\n",
        encoding="utf-8",
    )

    settings = Settings(api_keys_file=keys_file)

    assert settings.resolved_api_keys() == ["sk-first", "sk-second", "sk-third"]


def test_resolved_api_keys_combines_environment_and_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text("sk-from-file\n", encoding="utf-8")
    monkeypatch.setenv("AURICLE_API_KEYS", "sk-env-1, sk-env-2")
    monkeypatch.setenv("AURICLE_API_KEYS_FILE", str(keys_file))

    settings = Settings()

    assert settings.api_keys_file == keys_file
    assert settings.resolved_api_keys() == ["sk-env-1", "sk-env-2", "sk-from-file"]


def test_resolved_api_keys_of_an_empty_file(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text("", encoding="utf-8")

    assert Settings(api_keys_file=keys_file).resolved_api_keys() == []


def test_resolved_api_keys_rereads_the_file(tmp_path: Path) -> None:
    # Rotating a key in the file takes effect the next time keys are resolved.
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text("sk-old\n", encoding="utf-8")
    settings = Settings(api_keys_file=keys_file)
    keys_file.write_text("sk-new\n", encoding="utf-8")

    assert settings.resolved_api_keys() == ["sk-new"]


def test_live_sessions_are_three_per_two_workers_unless_set() -> None:
    assert Settings(workers=2).resolved_live_sessions() == 3
    assert Settings(workers=1).resolved_live_sessions() == 1
    assert Settings(workers=8).resolved_live_sessions() == 12
    assert Settings(workers=2, live_max_sessions=0).resolved_live_sessions() == 0
