"""The validator must both accept OpenAI-shaped bodies and reject near misses."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from .openapi import ENV_VAR, spec_path, validate

VERBOSE_JSON: dict[str, Any] = {
    "task": "transcribe",
    "language": "english",
    "duration": 11.0,
    "text": "And so, my fellow Americans, ask not what your country can do for you.",
    "segments": [
        {
            "id": 0,
            "seek": 0,
            "start": 0.0,
            "end": 4.2,
            "text": " And so, my fellow Americans,",
            "tokens": [50364, 400, 370, 11, 452, 7177, 6280, 11, 50574],
            "temperature": 0.0,
            "avg_logprob": -0.21,
            "compression_ratio": 1.1,
            "no_speech_prob": 0.01,
        }
    ],
    "words": [{"word": "And", "start": 0.0, "end": 0.3}],
}

ERROR: dict[str, Any] = {
    "error": {
        "message": "Invalid file format.",
        "type": "invalid_request_error",
        "param": "file",
        "code": None,
    }
}


@pytest.fixture(autouse=True)
def _need_spec() -> None:
    if not spec_path().is_file():
        pytest.skip(f"OpenAI OpenAPI document missing: {spec_path()}")


def test_verbose_json_passes() -> None:
    validate(VERBOSE_JSON, "CreateTranscriptionResponseVerboseJson")


def test_verbose_json_without_duration_fails() -> None:
    body = copy.deepcopy(VERBOSE_JSON)
    del body["duration"]
    with pytest.raises(jsonschema.ValidationError, match="'duration' is a required property"):
        validate(body, "CreateTranscriptionResponseVerboseJson")


def test_nested_refs_are_followed() -> None:
    # Segments live behind a $ref; a broken one proves references resolve.
    body = copy.deepcopy(VERBOSE_JSON)
    del body["segments"][0]["no_speech_prob"]
    with pytest.raises(jsonschema.ValidationError, match="no_speech_prob"):
        validate(body, "CreateTranscriptionResponseVerboseJson")


def test_error_response_passes() -> None:
    validate(ERROR, "ErrorResponse")


def test_error_response_without_param_fails() -> None:
    body = copy.deepcopy(ERROR)
    del body["error"]["param"]
    with pytest.raises(jsonschema.ValidationError, match="'param' is a required property"):
        validate(body, "ErrorResponse")


def test_list_models_passes() -> None:
    body = {
        "object": "list",
        "data": [{"id": "whisper-1", "object": "model", "created": 1677610602, "owned_by": "auricle"}],
    }
    validate(body, "ListModelsResponse")


def test_list_models_with_wrong_object_fails() -> None:
    body = {"object": "models", "data": []}
    with pytest.raises(jsonschema.ValidationError):
        validate(body, "ListModelsResponse")


def test_unknown_schema_name_is_an_error() -> None:
    with pytest.raises(KeyError):
        validate({}, "NoSuchSchema")


def test_env_var_overrides_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "mini.yaml"
    spec.write_text(
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      required: [a]\n"
    )
    monkeypatch.setenv(ENV_VAR, str(spec))
    validate({"a": 1}, "Thing")
    with pytest.raises(jsonschema.ValidationError):
        validate({}, "Thing")
