"""Validate JSON bodies against the schemas in OpenAI's own OpenAPI document.

Checking against the upstream document, rather than a hand-copied schema, is what
makes "OpenAI-compatible" a tested claim instead of a hope.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ENV_VAR = "AURICLE_OPENAPI_SPEC"
# tests/support/openapi.py -> repo -> its parent, where the shared folder lives.
DEFAULT_SPEC = Path(__file__).resolve().parents[3] / "shared/spec/openai-openapi.yaml"
# Any absolute URI works; it only gives the document's internal "#/..." refs a base.
_DOCUMENT_URI = "urn:auricle:openai-openapi"
# The C loader parses the 2.9 MB document several times faster; fall back so a
# PyYAML built without libyaml still works, only slower.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def spec_path() -> Path:
    """Where the OpenAPI document is read from (the env var wins)."""
    override = os.environ.get(ENV_VAR)
    return Path(override) if override else DEFAULT_SPEC


@functools.cache
def _registry(path: Path) -> Registry[Any]:
    """Parse the document once per path; it takes most of a second."""
    with path.open("rb") as handle:
        document = yaml.load(handle, Loader=_LOADER)
    if not str(document.get("openapi", "")).startswith("3.1"):
        raise ValueError(f"{path} is OpenAPI {document.get('openapi')!r}, expected 3.1")
    # OpenAPI 3.1 schemas are JSON Schema 2020-12, and the document itself has no
    # "$schema" to infer that from.
    resource: Resource[Any] = DRAFT202012.create_resource(document)
    registry: Registry[Any] = Registry().with_resource(_DOCUMENT_URI, resource)
    return registry


@functools.cache
def _validator(path: Path, schema_name: str) -> OAS31Validator:
    registry = _registry(path)
    schemas = registry.contents(_DOCUMENT_URI)["components"]["schemas"]
    if schema_name not in schemas:
        raise KeyError(f"no schema {schema_name!r} in {path}")
    schema = {"$ref": f"{_DOCUMENT_URI}#/components/schemas/{schema_name}"}
    return OAS31Validator(schema, registry=registry, format_checker=OAS31Validator.FORMAT_CHECKER)


def validate(instance: object, schema_name: str) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``instance`` matches the schema.

    ``schema_name`` is a key of ``#/components/schemas`` in the OpenAI document.
    """
    _validator(spec_path(), schema_name).validate(instance)
