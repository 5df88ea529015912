"""Form bodies (`application/x-www-form-urlencoded`) in Rack's bracket notation, decoded for validation.

`metadata[k]=v`, `line_items[0][price]=p`, `expand[]=a` and `expand[0]=a` become nested dicts and lists; keys may
arrive with raw or percent-encoded brackets. Values are then coerced to what the operation's schema declares
(`"true"` → True, `"14"` → 14), as Stripe's API and stripe-mock do, so the JSON schema can validate them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

MAX_DEPTH = 8
_INTEGER = re.compile(r"^-?[0-9]{1,18}$")
_NUMBER = re.compile(r"^-?[0-9]{1,18}(\.[0-9]{1,18})?$")


class FormError(ValueError):
    """A form body that cannot be decoded (bad UTF-8, too deep, a key used both as a value and a container)."""


def _path(key: str) -> list[str]:
    head, sep, rest = key.partition("[")
    parts = [head]
    while sep:
        inner, close, tail = rest.partition("]")
        if not close:
            raise FormError(f"unbalanced brackets in {key[:50]!r}")
        parts.append(inner)
        if tail and not tail.startswith("["):
            raise FormError(f"unexpected text after ] in {key[:50]!r}")
        sep, rest = ("[", tail[1:]) if tail else ("", "")
    if len(parts) > MAX_DEPTH or not parts[0]:
        raise FormError("form key too deep or empty")
    return parts


def _listify(node: Any) -> Any:
    """Dicts whose keys are all array indexes (`"0"`, `"1"`, or the `""` of `a[]`) become lists."""
    if isinstance(node, dict):
        node = {key: _listify(value) for key, value in node.items()}
        if node and all(key.isdigit() for key in node):
            return [node[key] for key in sorted(node, key=int)]
        if "" in node and len(node) == 1:
            value = node[""]
            return value if isinstance(value, list) else [value]
        return node
    return node


def parse_form(body: bytes) -> dict[str, Any]:
    """The nested structure of a form body (strings at the leaves)."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise FormError("form body is not valid UTF-8") from None
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = _path(key)
        node = root
        for index, part in enumerate(parts[:-1]):
            nxt = parts[index + 1]
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            if not isinstance(child, dict):
                raise FormError(f"{parts[0]} is both a value and a container")
            if nxt == "":
                # `a[]=x&a[]=y`: append under a fresh index.
                parts[index + 1] = str(len(child))
            node = child
        last = parts[-1]
        if last == "" and isinstance(node, dict):
            last = str(len(node))
        current = node.get(last)
        if isinstance(current, dict):
            raise FormError(f"{parts[0]} is both a value and a container")
        if current is not None:
            # `expand=a&expand=b` (repeated keys, as generic clients send arrays): a list.
            node[last] = [*current, value] if isinstance(current, list) else [current, value]
        else:
            node[last] = value
    result: dict[str, Any] = _listify(root)
    return result


def coerce(value: Any, schema: Mapping[str, Any]) -> Any:
    """`value` (strings at the leaves) converted where `schema` says integer, number, boolean, array or object."""
    for key in ("anyOf", "oneOf"):
        if key in schema:
            for option in schema[key]:
                converted = coerce(value, option)
                if _fits(converted, option):
                    return converted
            return value
    kind = schema.get("type")
    if isinstance(value, list) and kind != "array":
        return value  # a repeated key where one value belongs: validation names it
    if isinstance(value, str) and kind == "array":
        return [coerce(value, schema.get("items", {}))]
    if isinstance(value, str):
        if kind == "integer" and _INTEGER.match(value):
            return int(value)
        if kind == "number" and _NUMBER.match(value):
            return float(value) if "." in value else int(value)
        if kind == "boolean" and value in ("true", "false"):
            return value == "true"
        return value
    if isinstance(value, list) and kind == "array":
        items = schema.get("items", {})
        return [coerce(item, items) for item in value]
    if isinstance(value, dict) and (kind == "array") and all(k.isdigit() for k in value):
        return [coerce(value[k], schema.get("items", {})) for k in sorted(value, key=int)]
    if isinstance(value, dict) and kind in ("object", None):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        out: dict[str, Any] = {}
        for name, item in value.items():
            sub = properties.get(name, extra if isinstance(extra, Mapping) else {})
            out[name] = coerce(item, sub)
        return out
    return value


def _fits(value: Any, schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    if "enum" in schema:
        return value in schema["enum"]
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
    return kind is None or checks.get(str(kind), lambda v: True)(value)
