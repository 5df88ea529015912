"""An OpenAPI document compiled for serving: operations matched by method and path, schemas ready to validate."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import attrs
import yaml
from jsonschema import Draft202012Validator, FormatChecker

JSON_MEDIA = "application/json"
FORM_MEDIA = "application/x-www-form-urlencoded"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def format_checker() -> FormatChecker:
    """The format checker the sandbox validates with: jsonschema's, with a real email check (its own is `@ in s`)."""
    checker = FormatChecker()

    @checker.checks("email")
    def is_email(value: object) -> bool:
        return not isinstance(value, str) or bool(_EMAIL.match(value))

    return checker


FORMATS = format_checker()


@attrs.frozen
class Parameter:
    """One declared path, query or header parameter."""

    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]
    validator: Draft202012Validator


@attrs.frozen
class Operation:
    """One operation of the document, compiled."""

    operation_id: str
    method: str
    path: str
    segments: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    body_required: bool
    body_validator: Draft202012Validator | None
    security: tuple[str, ...]
    statuses: frozenset[str]
    body_media: str = "application/json"
    """The request body's media type: `application/json` or `application/x-www-form-urlencoded` (Twilio, Stripe)."""
    body_schema: Mapping[str, Any] | None = None

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """The path parameters if `segments` (already percent-decoded one by one) fit this operation's path.

        A segment may carry a literal suffix after its parameter (Twilio's `{Sid}.json`).
        """
        if len(segments) != len(self.segments):
            return None
        found: dict[str, str] = {}
        for template, actual in zip(self.segments, segments, strict=True):
            if template.startswith("{") and "}" in template:
                name, _, suffix = template[1:].partition("}")
                if not actual.endswith(suffix) or len(actual) == len(suffix):
                    return None
                found[name] = actual[: len(actual) - len(suffix)]
            elif template != actual:
                return None
        return found


class PathNotFound(Exception):
    """No path of the document matches."""


class MethodNotAllowed(Exception):
    """The path exists, the method does not; `allowed` lists the methods the document has for it."""

    def __init__(self, allowed: list[str]) -> None:
        super().__init__(", ".join(allowed))
        self.allowed = allowed


class SpecIndex:
    """The operations of one OpenAPI document, and the base path its `servers[0]` URL implies."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        servers = document.get("servers") or [{"url": "/"}]
        self.base_path: str = urlsplit(servers[0]["url"]).path.rstrip("/")
        self.security_schemes: dict[str, Any] = dict(document.get("components", {}).get("securitySchemes", {}))
        default_security = _scheme_names(document.get("security", []))
        self.operations: list[Operation] = []
        for path, item in document["paths"].items():
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method in item:
                    self.operations.append(self._compile(path, method, item[method], shared, default_security))
        self.by_id: dict[str, Operation] = {op.operation_id: op for op in self.operations}

    @classmethod
    def load(cls, path: Path) -> SpecIndex:
        """Read a YAML document from disk."""
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    def resolve(self, node: Any) -> Any:
        """`node` with every local `$ref` replaced by what it points to (our documents are not recursive)."""
        if isinstance(node, Mapping):
            if "$ref" in node:
                target: Any = self.document
                for part in node["$ref"].removeprefix("#/").split("/"):
                    target = target[part]
                return self.resolve(target)
            return {key: self.resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [self.resolve(value) for value in node]
        return node

    def find(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]]:
        """The operation for `method` and the raw (still percent-encoded) request path, with its path parameters."""
        if not raw_path.startswith(self.base_path + "/"):
            raise PathNotFound(raw_path)
        relative = raw_path[len(self.base_path) :]
        # Decode each segment on its own, so "a%2Fb" stays one segment and can never become a path separator.
        segments = [unquote(part) for part in relative.split("/")[1:]]
        matches = [(op, params) for op in self.operations if (params := op.match(segments)) is not None]
        if not matches:
            raise PathNotFound(raw_path)
        # A concrete path wins over a templated one ("/invitations/accept" over "/invitations/{id}"): keep only
        # the operations of the most specific matching path, literal segments ranking before parameters.
        best = max(matches, key=lambda match: _specificity(match[0]))[0].path
        for operation, params in matches:
            if operation.path == best and operation.method == method.upper():
                return operation, params
        raise MethodNotAllowed(sorted({op.method for op, _ in matches if op.path == best}))

    def _compile(
        self, path: str, method: str, raw: Mapping[str, Any], shared: list[Any], default_security: tuple[str, ...]
    ) -> Operation:
        # Responses are not resolved: only their status codes are needed, and their schemas may be recursive
        # (Stripe's subscription -> invoice -> subscription).
        operation = {key: value if key == "responses" else self.resolve(value) for key, value in raw.items()}
        declared = {(p["name"], p["in"]): p for p in self.resolve(shared)}
        declared.update({(p["name"], p["in"]): p for p in operation.get("parameters", [])})
        parameters = tuple(
            Parameter(
                name=p["name"],
                location=p["in"],
                required=bool(p.get("required", False)),
                schema=p["schema"],
                validator=Draft202012Validator(p["schema"], format_checker=FORMATS),
            )
            for p in declared.values()
        )
        body = operation.get("requestBody")
        content = body["content"] if body else {}
        # JSON, else a form body (Stripe, Twilio): the first media type the document declares that we read.
        body_media = next((m for m in (JSON_MEDIA, FORM_MEDIA) if m in content), JSON_MEDIA)
        body_schema = content[body_media]["schema"] if body_media in content else None
        security = _scheme_names(operation["security"]) if "security" in operation else default_security
        return Operation(
            operation_id=operation["operationId"],
            method=method.upper(),
            path=path,
            segments=tuple(path.split("/")[1:]),
            parameters=parameters,
            body_required=bool(body and body.get("required")),
            body_validator=Draft202012Validator(body_schema, format_checker=FORMATS) if body_schema else None,
            security=security,
            statuses=frozenset(str(code) for code in operation["responses"]),
            body_media=body_media,
            body_schema=body_schema,
        )


def _specificity(operation: Operation) -> tuple[bool, ...]:
    """Literal segments rank above parameters, position by position."""
    return tuple(not seg.startswith("{") for seg in operation.segments)


def _scheme_names(requirements: list[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(name for requirement in requirements for name in requirement)
