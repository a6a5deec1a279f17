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
        "properties": properties,
        "required": ["file", *schema.get("required", [])],
    }
    if "$defs" in schema:
        body["$defs"] = schema["$defs"]
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": body}}}}
