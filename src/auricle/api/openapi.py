"""OpenAPI descriptions of the multipart bodies, which the routes parse by hand."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def multipart_body(form: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for a route: the form model's fields plus the binary `file` part."""
    schema = form.model_json_schema(by_alias=True, mode="validation")
    properties = {"file": {"type": "string", "format": "binary", "description": "The audio file"}}
    properties.update(schema.get("properties", {}))
    body = {
        "type": "object",
        "title": form.__name__,
        "properties": {
            name: _without_null(_inline_refs(field, schema.get("$defs", {})))
            for name, field in properties.items()
        },
        "required": ["file", *schema.get("required", [])],
    }
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": body}}}}


def _inline_refs(node: Any, definitions: dict[str, Any]) -> Any:
    """Replace Pydantic's `#/$defs/X` references by X itself.

    Inside an OpenAPI document `#/` means the document's root, which has no `$defs`: left as they are,
    the references dangle, and tools such as schemathesis drop the whole body.
    """
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inline_refs(definitions[ref.removeprefix("#/$defs/")], definitions)
        return {key: _inline_refs(value, definitions) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(item, definitions) for item in node]
    return node


def _without_null(field: dict[str, Any]) -> dict[str, Any]:
    """A form part cannot be null, only absent: `str | None` is documented as an optional string."""
    options = [option for option in field.get("anyOf", []) if option != {"type": "null"}]
    if not options or len(options) == len(field["anyOf"]):
        return field
    rest = {key: value for key, value in field.items() if key != "anyOf"}
    return {**rest, **options[0]} if len(options) == 1 else {**rest, "anyOf": options}


def json_body(model: type[BaseModel], responses: dict[int, Any]) -> dict[str, Any]:
    """`openapi_extra` for a route that parses its JSON body by hand: the model, references inlined,
    and the `responses` it answers with (the status as an int, OpenAPI's response object)."""
    schema = model.model_json_schema(mode="validation")
    definitions = schema.pop("$defs", {})
    body = _inline_refs(schema, definitions)
    return {
        "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
        "responses": {str(status): response for status, response in responses.items()},
    }
