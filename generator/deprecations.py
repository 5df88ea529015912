"""What an OpenAPI document marks `deprecated: true`, handed to the endpoint template as `deprecations.jinja`.

The stock generator drops the flag: its parsed endpoints carry no `deprecated`. So before each run the generator
writes, beside our templates, a Jinja file that sets three dicts keyed by `METHOD /path`: the message of each
deprecated operation, the wire names of its deprecated parameters, and the deprecated top-level properties of its
JSON request body. `endpoint_module.py.jinja` imports it and makes the client warn.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in str(node["$ref"]).lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def collect(spec: Path) -> dict[str, dict[str, Any]]:
    """`{"operations": {op: message}, "parameters": {op: [name]}, "fields": {op: [name]}}`, op = `METHOD /path`."""
    document = yaml.safe_load(spec.read_text())
    found: dict[str, dict[str, Any]] = {"operations": {}, "parameters": {}, "fields": {}}
    for path, item in (document.get("paths") or {}).items():
        item = _resolve(document, item)
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            name = f"{method.upper()} {path}"
            if operation.get("deprecated"):
                found["operations"][name] = f"{method.upper()} {path} is deprecated by the API"
            parameters = [
                _resolve(document, p) for p in [*item.get("parameters", []), *operation.get("parameters", [])]
            ]
            deprecated_parameters = sorted(p["name"] for p in parameters if p.get("deprecated"))
            if deprecated_parameters:
                found["parameters"][name] = deprecated_parameters
            body = _resolve(document, operation.get("requestBody", {}))
            schema = _resolve(document, body.get("content", {}).get("application/json", {}).get("schema", {}))
            properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
            fields = sorted(key for key, value in properties.items() if _resolve(document, value).get("deprecated"))
            if fields:
                found["fields"][name] = fields
    return found


def write_template(spec: Path, templates: Path) -> None:
    """Write `deprecations.jinja` for `spec` into the template folder `templates`."""
    found = collect(spec)
    lines = [f"{{% set {key} = {json.dumps(value, sort_keys=True)} %}}" for key, value in found.items()]
    (templates / "deprecations.jinja").write_text("\n".join(lines) + "\n")
