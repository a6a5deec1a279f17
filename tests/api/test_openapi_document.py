"""The committed openapi.json is what the app serves, and a valid, self-contained OpenAPI 3.1 document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from auricle.api.app import create_app
from auricle.config import Settings

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi.json"


def render(document: dict[str, Any]) -> str:
    """The file's exact text, as scripts/openapi writes it."""
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    return document


def test_committed_document_is_current() -> None:
    served = render(create_app(Settings()).openapi())
    # Not `==` in the assert: pytest would print both 20 kB strings before the hint.
    current = DOCUMENT.read_text(encoding="utf-8") == served
    assert current, "openapi.json is not what the app serves now: run scripts/openapi and commit the result"


def spec_errors(document: dict[str, Any]) -> list[str]:
    return [
        # A message's first line names the problem; the rest reprints the whole offending object.
        f"{'/'.join(map(str, error.absolute_path))}: {error.message.splitlines()[0]}"
        for error in OpenAPIV31SpecValidator(document).iter_errors()
    ]


def test_committed_document_is_valid_openapi_3_1(committed: dict[str, Any]) -> None:
    assert committed["openapi"].startswith("3.1.")
    assert spec_errors(committed) == []


def references(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        reference = node.get("$ref")
        if isinstance(reference, str):
            yield reference
        for value in node.values():
            yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def resolves(document: dict[str, Any], reference: str) -> bool:
    # A schema without `$id` shares the document's base URI, so `#/...` always points into the whole document.
    if not reference.startswith("#/"):
        return False
    node: object = document
    for token in reference[2:].split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def test_every_reference_resolves(committed: dict[str, Any]) -> None:
    # The spec validator does not follow `$ref`s inside schemas, but clients and Schemathesis do: one that
    # points nowhere makes them drop the schema, or the whole request body, that holds it.
    broken = sorted({reference for reference in references(committed) if not resolves(committed, reference)})
    assert broken == []


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        (
            "/v1/audio/transcriptions",
            {
                "file",
                "model",
                "language",
                "prompt",
                "response_format",
                "temperature",
                "timestamp_granularities[]",
                "stream",
                "include[]",
                "chunking_strategy",
                "keywords[]",
                "languages[]",
                "known_speaker_names[]",
                "known_speaker_references[]",
                "num_speakers",
                "min_speakers",
                "max_speakers",
            },
        ),
        ("/v1/audio/translations", {"file", "model", "prompt", "response_format", "temperature"}),
    ],
)
def test_multipart_form_lists_exactly_the_parsed_fields(
    committed: dict[str, Any], path: str, fields: set[str]
) -> None:
    # tests/api/test_openapi.py checks the fields clients need are there; this checks none is invented.
    schema = committed["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert set(schema["properties"]) == fields
