"""Request validation against a compiled operation; every failure becomes a `Rejection` with per-field messages.

Messages are built from the schema rule that failed, never from the submitted value, so a rejected password or
token is not echoed back in an error body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

import attrs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .forms import FormError, coerce, parse_form
from .spec import FORM_MEDIA, Operation, Parameter

MAX_BODY_BYTES = 64 * 1024
_INTEGER = re.compile(r"^-?[0-9]{1,18}$")


@attrs.frozen
class Rejection(Exception):
    """A request the sandbox refuses: HTTP status, the upstream's error code, a message, and field messages."""

    status: int
    code: str
    message: str
    fields: Mapping[str, list[str]] = attrs.field(factory=dict)
    credential: str | None = attrs.field(default=None, repr=False)
    """The credential a 401 refused (never logged; an API may show a masked form of it, as Stripe does)."""


@attrs.frozen
class ValidRequest:
    """A request that passed validation, with typed parameters and the decoded JSON body."""

    operation: Operation
    path: Mapping[str, Any]
    query: Mapping[str, Any]
    headers: Mapping[str, str]
    body: Any


def validate_request(
    operation: Operation,
    path_params: Mapping[str, str],
    query_string: bytes,
    headers: Mapping[str, str],
    body: bytes,
    *,
    max_body: int = MAX_BODY_BYTES,
    bracket_query: bool = False,
    reject_unknown_query: bool = False,
) -> ValidRequest:
    """Check parameters and body against the operation; raise `Rejection` (400, 413 or 415) on the first problem.

    With `bracket_query` the query string is read in Rack's bracket notation, as Stripe reads it (`expand[0]=a`,
    `expand[]=a` and a repeated `expand=a` are all the list `expand`); with `reject_unknown_query` a query
    parameter the operation does not declare is a field error (`is not a known field`) instead of being ignored.
    """
    fields: dict[str, list[str]] = {}
    values: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}}
    if bracket_query:
        query: dict[str, Any] = _parse_bracket_query(query_string)
    else:
        query = _parse_query(query_string)
    declared = {parameter.name for parameter in operation.parameters if parameter.location == "query"}
    if reject_unknown_query:
        for name in sorted(set(query) - declared)[:10]:
            fields.setdefault(name, []).append("is not a known field")
    for parameter in operation.parameters:
        if bracket_query and parameter.location == "query":
            _take_bracket_value(parameter, query, values["query"], fields)
            continue
        raw = _raw_value(parameter, path_params, query, headers, fields)
        if raw is None:
            continue
        value = _coerce(parameter, raw, fields)
        if value is not None and _check(parameter.validator, value, parameter.name, fields):
            values[parameter.location][parameter.name] = value
    parsed_body = _parse_body(operation, headers, body, fields, max_body) if operation.body_validator else None
    if fields:
        raise Rejection(400, "VALIDATION_ERROR", "Validation failed", fields)
    return ValidRequest(operation, values["path"], values["query"], values["header"], parsed_body)


def _parse_query(query_string: bytes) -> dict[str, list[str]]:
    try:
        text = query_string.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise Rejection(400, "VALIDATION_ERROR", "Query string is not valid UTF-8") from None
    found: dict[str, list[str]] = {}
    for key, value in pairs:
        found.setdefault(key, []).append(value)
    return found


def _parse_bracket_query(query_string: bytes) -> dict[str, Any]:
    try:
        return parse_form(query_string)
    except FormError as exc:
        raise Rejection(400, "VALIDATION_ERROR", f"Query string is not valid: {exc}") from None


def _take_bracket_value(
    parameter: Parameter, query: Mapping[str, Any], found: dict[str, Any], fields: dict[str, list[str]]
) -> None:
    """One query parameter of a bracket-notation query, coerced to its schema and validated."""
    raw = query.get(parameter.name)
    if raw is None:
        if parameter.required:
            fields.setdefault(parameter.name, []).append("is required")
        return
    if isinstance(raw, list) and parameter.schema.get("type") != "array":
        fields.setdefault(parameter.name, []).append("must be given once")
        return
    value = coerce(raw, parameter.schema)
    if _check(parameter.validator, value, parameter.name, fields):
        found[parameter.name] = value


def _raw_value(
    parameter: Parameter,
    path_params: Mapping[str, str],
    query: Mapping[str, list[str]],
    headers: Mapping[str, str],
    fields: dict[str, list[str]],
) -> str | list[str] | None:
    if parameter.location == "path":
        return path_params.get(parameter.name)
    if parameter.location == "header":
        value = headers.get(parameter.name.lower())
        if value is None and parameter.required:
            fields.setdefault(parameter.name, []).append("is required")
        return value
    found = query.get(parameter.name)
    if not found:
        if parameter.required:
            fields.setdefault(parameter.name, []).append("is required")
        return None
    if parameter.schema.get("type") == "array":
        return list(found)  # repeated keys (`Type=carrier&Type=caller-name`): OpenAPI's form + explode default
    if len(found) > 1:
        fields.setdefault(parameter.name, []).append("must be given once")
        return None
    return found[0]


def _coerce(parameter: Parameter, raw: str | list[str], fields: dict[str, list[str]]) -> Any:
    kind = parameter.schema.get("type")
    if isinstance(raw, list):
        return raw
    if kind == "integer":
        if not _INTEGER.match(raw):
            fields.setdefault(parameter.name, []).append("must be an integer")
            return None
        return int(raw)
    if kind == "boolean":
        if raw not in ("true", "false"):
            fields.setdefault(parameter.name, []).append("must be true or false")
            return None
        return raw == "true"
    return raw


def _check(validator: Draft202012Validator, value: Any, name: str, fields: dict[str, list[str]]) -> bool:
    problems = _messages(validator.iter_errors(value), prefix=name)
    for field, message in problems:
        fields.setdefault(field, []).append(message)
    return not problems


def _parse_body(
    operation: Operation, headers: Mapping[str, str], body: bytes, fields: dict[str, list[str]], max_body: int
) -> Any:
    if len(body) > max_body:
        raise Rejection(413, "PAYLOAD_TOO_LARGE", f"Request body exceeds {max_body} bytes")
    schema = operation.body_schema or {}
    brackets = operation.body_media == FORM_MEDIA and schema.get("x-form-style") == "brackets"
    if not body and brackets:
        body = b""  # Stripe reads an empty form as no parameters: its schema then names what is missing
    elif not body:
        if operation.body_required:
            fields.setdefault("body", []).append("is required")
        return None
    media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if not body and brackets:
        media = FORM_MEDIA
    if media != operation.body_media:
        raise Rejection(415, "UNSUPPORTED_MEDIA_TYPE", f"Request body must be {operation.body_media}")
    if media == FORM_MEDIA:
        if brackets:  # Stripe: nested keys in Rack's bracket notation
            try:
                value: Any = coerce(parse_form(body), schema)
            except FormError as exc:
                raise Rejection(400, "VALIDATION_ERROR", f"Request body is not a valid form: {exc}") from None
        else:  # Twilio: flat keys, a list as the same key repeated
            value = _parse_form(schema, body, fields)
    else:
        try:
            value = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise Rejection(400, "VALIDATION_ERROR", "Request body is not valid JSON") from None
    assert operation.body_validator is not None
    for field, message in _messages(operation.body_validator.iter_errors(value), prefix=""):
        fields.setdefault(field or "body", []).append(message)
    return value


def _parse_form(schema: Mapping[str, Any], body: bytes, fields: dict[str, list[str]]) -> dict[str, Any]:
    """A urlencoded body as a dict: array properties collect repeated keys, integer and boolean ones are converted,
    any other key given twice is a field error (so the schema then sees typed values)."""
    found = _parse_query(body)
    properties: Mapping[str, Any] = schema.get("properties", {})
    value: dict[str, Any] = {}
    for name, items in found.items():
        kind = properties.get(name, {}).get("type")
        if kind == "array" or (name not in properties and len(items) > 1):
            value[name] = items  # a declared list, or an undeclared field given twice: kept whole
        elif len(items) > 1:
            fields.setdefault(name, []).append("must be given once")
        elif kind in ("integer", "boolean"):
            coerced = _coerce_text(kind, items[0])
            if coerced is None:
                fields.setdefault(name, []).append(f"must be {'an integer' if kind == 'integer' else 'true or false'}")
            else:
                value[name] = coerced
        else:
            value[name] = items[0]
    return value


def _coerce_text(kind: str, raw: str) -> int | bool | None:
    if kind == "integer":
        return int(raw) if _INTEGER.match(raw) else None
    return {"true": True, "false": False}.get(raw)


def _messages(errors: Iterable[ValidationError], prefix: str) -> list[tuple[str, str]]:
    """`(field, message)` for each schema failure, naming the rule and never quoting the value."""
    out: list[tuple[str, str]] = []
    for error in errors:
        leaves = error.context or [error]
        error = min(leaves, key=lambda e: len(e.absolute_path)) if error.validator in ("oneOf", "anyOf") else error
        path = ".".join(str(part) for part in error.absolute_path)
        field = ".".join(part for part in (prefix, path) if part)
        instance: Any = error.instance
        schema: Any = error.schema
        rule_value: Any = error.validator_value
        if error.validator == "required":
            present = instance if isinstance(instance, dict) else {}
            missing = next((name for name in rule_value if name not in present), "")
            out.append((".".join(p for p in (field, missing) if p), "is required"))
        elif error.validator == "additionalProperties":
            known = set(schema.get("properties", {}))
            unknown = sorted(k for k in instance if k not in known) if isinstance(instance, dict) else []
            out.extend((".".join(p for p in (field, k) if p), "is not a known field") for k in unknown[:10])
        else:
            out.append((field, _describe(error)))
    return out


def _describe(error: ValidationError) -> str:
    rule: Any = error.validator
    limit: Any = error.validator_value
    descriptions: dict[str, str] = {
        "type": f"must be of type {limit}",
        "minLength": f"must be at least {limit} characters",
        "maxLength": f"must be at most {limit} characters",
        "minimum": f"must be at least {limit}",
        "maximum": f"must be at most {limit}",
        "pattern": "does not have the expected format",
        "format": f"must be a valid {limit}",
        "enum": f"must be one of: {', '.join(map(str, limit)) if isinstance(limit, list) else limit}",
        "minItems": f"must have at least {limit} items",
        "maxItems": f"must have at most {limit} items",
        "uniqueItems": "must not repeat items",
        "maxProperties": f"must have at most {limit} properties",
        "not": "is not allowed",
        "const": "has an unexpected value",
    }
    return descriptions.get(str(rule), "is invalid")
