"""The wire-level API of an OpenAPI document as a flat report, and its diff under oasdiff's rules.

Each operation, parameter, request-body field and success-response field gets one entry keyed by where it lives
(`GET /api/v1/users/{user_id} response 200 .avatar_url`). The rules: an operation, parameter or response field
removed, a request field or parameter newly required, a response field made optional, a type changed, a request
enum value removed, a success status removed or a security requirement added is breaking; new operations,
optional fields, new response fields and new enum values are additive (our generated enums are open).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .changes import Change, Level

Entry = dict[str, Any]
Report = dict[str, Entry]
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_MAX_DEPTH = 6


class _Resolver:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            target: Any = self.document
            for part in str(node["$ref"]).lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
        return node


def _type_of(schema: dict[str, Any]) -> str:
    if "type" in schema:
        kind = schema["type"]
        text = "|".join(sorted(kind)) if isinstance(kind, list) else str(kind)
        if schema.get("format"):
            text += f"({schema['format']})"
        return text
    for combiner in ("oneOf", "anyOf"):
        if combiner in schema:
            return combiner
    if "properties" in schema or "allOf" in schema:
        return "object"
    return "any"


def _schema_entries(
    resolver: _Resolver, schema: Any, prefix: str, required: bool, report: Report, depth: int = 0
) -> None:
    schema = resolver.resolve(schema) or {}
    if not isinstance(schema, dict):
        return
    properties: dict[str, Any] = dict(schema.get("properties", {}))
    required_names = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        part = resolver.resolve(part) or {}
        properties.update(part.get("properties", {}))
        required_names |= set(part.get("required", []))
    entry: Entry = {"type": _type_of(schema), "required": required}
    if "enum" in schema:
        entry["enum"] = sorted(str(value) for value in schema["enum"])
    if schema.get("deprecated"):
        entry["deprecated"] = True
    report[prefix] = entry
    if depth >= _MAX_DEPTH:
        return
    for name, child in sorted(properties.items()):
        _schema_entries(resolver, child, f"{prefix}.{name}", name in required_names, report, depth + 1)
    if schema.get("type") == "array" and "items" in schema:
        _schema_entries(resolver, schema["items"], f"{prefix}[]", True, report, depth + 1)


def _json_schema(resolver: _Resolver, content: Any) -> Any:
    content = resolver.resolve(content) or {}
    for media_type, body in sorted(content.get("content", {}).items()):
        return media_type, body.get("schema", {})
    return None, None


def surface(path: Path) -> Report:
    """The wire report of the OpenAPI document at `path`."""
    document = yaml.safe_load(path.read_text())
    resolver = _Resolver(document)
    report: Report = {}
    default_security = document.get("security", [])
    for route, item in sorted((document.get("paths") or {}).items()):
        item = resolver.resolve(item)
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            key = f"{method.upper()} {route}"
            security = operation.get("security", default_security)
            responses = operation.get("responses", {})
            success = sorted(str(code) for code in responses if str(code).startswith("2"))
            report[key] = {
                "kind": "operation",
                "success": success,
                "security": sorted(sorted(requirement) for requirement in security),
                "deprecated": bool(operation.get("deprecated", False)),
            }
            for parameter in [*shared, *operation.get("parameters", [])]:
                parameter = resolver.resolve(parameter)
                name = f"{key} param {parameter['in']}:{parameter['name']}"
                _schema_entries(resolver, parameter.get("schema", {}), name, bool(parameter.get("required")), report)
                if parameter.get("deprecated"):
                    report[name]["deprecated"] = True
            if "requestBody" in operation:
                body = resolver.resolve(operation["requestBody"])
                media_type, schema = _json_schema(resolver, body)
                _schema_entries(resolver, schema, f"{key} request {media_type}", bool(body.get("required")), report)
            for code in success:
                media_type, schema = _json_schema(resolver, responses.get(code) or responses.get(int(code)))
                if schema is not None:
                    _schema_entries(resolver, schema, f"{key} response {code}", True, report)
    return report


def _side(key: str) -> str:
    if " response " in key:
        return "response"
    if " request " in key or " param " in key:
        return "request"
    return "operation"


def _entry_changes(key: str, old: Entry, new: Entry) -> list[Change]:
    side = _side(key)
    changes: list[Change] = []
    if old.get("kind") == "operation":
        lost = sorted(set(old["success"]) - set(new["success"]))
        if lost:
            changes.append(Change(Level.BREAKING, key, f"success status {', '.join(lost)} removed"))
        if len(new["security"]) > len(old["security"]) or (old["security"] == [] and new["security"]):
            changes.append(Change(Level.BREAKING, key, "security requirement added"))
    else:
        if old["type"] != new["type"]:
            changes.append(Change(Level.BREAKING, key, f"type changed {old['type']} -> {new['type']}"))
        if side == "request" and not old["required"] and new["required"]:
            changes.append(Change(Level.BREAKING, key, "made required"))
        if side == "request" and old["required"] and not new["required"]:
            changes.append(Change(Level.ADDITIVE, key, "made optional"))
        if side == "response" and old["required"] and not new["required"]:
            changes.append(Change(Level.BREAKING, key, "made optional"))
        old_enum, new_enum = set(old.get("enum", [])), set(new.get("enum", []))
        if "enum" in old and "enum" in new:
            removed, added = sorted(old_enum - new_enum), sorted(new_enum - old_enum)
            if removed:
                level = Level.BREAKING if side == "request" else Level.ADDITIVE
                changes.append(Change(level, key, f"enum value {', '.join(removed)} removed"))
            if added:
                changes.append(Change(Level.ADDITIVE, key, f"enum value {', '.join(added)} added"))
    if new.get("deprecated") and not old.get("deprecated"):
        changes.append(Change(Level.ADDITIVE, key, "deprecated"))
    return changes


def _operation(key: str) -> str:
    method, route = key.split(" ")[:2]
    return f"{method} {route}"


def _parent(key: str, entry: Entry) -> str | None:
    """The entry a field belongs to: `... response 200.keys[].alg` -> `... response 200.keys[]`; None at the top."""
    if entry.get("kind") == "operation":
        return None
    head, location = key.rsplit(" ", 1)
    if location.endswith("[]"):
        return f"{head} {location[:-2]}"
    if "." in location:
        return f"{head} {location.rsplit('.', 1)[0]}"
    return _operation(key)


def diff(old: Report, new: Report) -> list[Change]:
    """Every wire change from `old` to `new`, classified by oasdiff's rules (see the module docstring)."""
    changes: list[Change] = []
    for key, entry in old.items():
        if key in new:
            changes.extend(_entry_changes(key, entry, new[key]))
            continue
        parent = _parent(key, entry)
        if parent is not None and parent not in new:
            continue  # reported once, where the removal starts
        if entry.get("kind") == "operation":
            changes.append(Change(Level.BREAKING, key, "operation removed"))
        elif _side(key) == "response":
            changes.append(Change(Level.BREAKING, key, "response field removed"))
        else:
            changes.append(Change(Level.BREAKING, key, "request field or parameter removed"))
    for key, entry in new.items():
        if key in old:
            continue
        parent = _parent(key, entry)
        if parent is not None and parent not in old:
            continue
        if entry.get("kind") == "operation":
            changes.append(Change(Level.ADDITIVE, key, "operation added"))
        elif _side(key) == "request" and entry["required"]:
            changes.append(Change(Level.BREAKING, key, "required request field or parameter added"))
        else:
            changes.append(Change(Level.ADDITIVE, key, "field added"))
    return changes
