"""What one logical API call is (before retries), and what came back."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import attrs

if TYPE_CHECKING:
    import httpx

from .deprecation import warn_deprecated


class Expect(enum.Enum):
    """What a successful answer must carry."""

    JSON = "json"
    """A JSON document; an empty or non-JSON body is a malformed response."""
    NOTHING = "nothing"
    """No body is needed (204, or a body we ignore)."""


@attrs.frozen
class Call:
    """One logical request: method, path relative to the base URL, and what goes with it.

    Build it from a generated endpoint's `_get_kwargs(...)` with `Call.from_kwargs`, so the generated code decides
    paths, encoding and parameter names, and the runtime decides everything about sending.
    """

    method: str
    path: str
    params: Mapping[str, Any] = attrs.field(factory=dict)
    json: Any = None
    content: bytes | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    expect: Expect = Expect.JSON
    form: Mapping[str, Any] | None = None
    """The fields of a form body before encoding (`content` holds the bytes sent), so options can add to them."""
    at_most_once: bool = False
    """The request has an effect that no idempotency key protects (Twilio's message create): it is sent without an
    Idempotency-Key and repeated only when it provably never reached the server (a connect failure, or a 429/503
    answer); an attempt that may have arrived but got no answer raises `APIOutcomeUnknownError`."""

    @classmethod
    def from_kwargs(
        cls, kwargs: Mapping[str, Any], expect: Expect = Expect.JSON, *, at_most_once: bool = False
    ) -> Call:
        """A `Call` from the dict a generated `_get_kwargs` returns (`method`, `url`, `params`, `json`, `headers`).

        A form body (`data`) is encoded here, once, so every retry sends the same bytes: a list value becomes
        repeated keys (`MediaUrl=a&MediaUrl=b`), None values are left out. A multipart body (`files`, as the
        generated `to_multipart()` gives it) is encoded here once too, with a boundary minted at random for this
        call, so that uploaded bytes cannot forge a part and a retry sends exactly the same body. What the spec
        deprecates and the request uses (`extensions["deprecated"]`) is a `DeprecationWarning` at the caller's line,
        once per line.
        """
        deprecated = dict(kwargs.get("extensions") or {}).get("deprecated")
        if deprecated:
            warn_deprecated(deprecated)
        params = {k: v for k, v in dict(kwargs.get("params") or {}).items() if v is not None}
        headers = {str(k): str(v) for k, v in dict(kwargs.get("headers") or {}).items()}
        content = kwargs.get("content")
        form = None
        if kwargs.get("files") is not None:
            content, headers["Content-Type"] = encode_multipart(kwargs["files"])
        elif kwargs.get("data") is not None:
            form = dict(kwargs["data"])
            content = encode_form(form)
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        return cls(
            method=str(kwargs["method"]).upper(),
            path=str(kwargs["url"]),
            params=params,
            json=kwargs.get("json"),
            content=content if isinstance(content, bytes) else None,
            headers=headers,
            expect=expect,
            form=form,
            at_most_once=at_most_once,
        )


@attrs.frozen
class APIResponse:
    """A successful answer, with the facts a caller may want besides the parsed body.

    Attributes:
        status_code: The HTTP status (below 400).
        headers: The response headers.
        request_id: From the `X-Request-ID` response header, else the ID we sent.
        data: The decoded JSON body (None for `Expect.NOTHING`).
        attempts: How many attempts the call took (1 when the first succeeded).
    """

    status_code: int
    headers: httpx.Headers
    request_id: str | None
    data: Any
    attempts: int = 1


def encode_form(data: Mapping[str, Any]) -> bytes:
    """`application/x-www-form-urlencoded` bytes: lists repeat their key, booleans are `true`/`false`."""
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is None:
                continue
            pairs.append((str(key), ("true" if item else "false") if isinstance(item, bool) else str(item)))
    return urlencode(pairs).encode("ascii")


def encode_multipart(files: Any) -> tuple[bytes, str]:
    """`multipart/form-data` bytes and their Content-Type (with a random boundary) for httpx-style `files`.

    Each part is `(field, (filename, content, content_type))` or `(field, content)`; file objects are read here.
    """
    parts = files.items() if isinstance(files, Mapping) else files
    readable = []
    for name, value in parts:
        if isinstance(value, tuple):
            value = tuple(item.read() if hasattr(item, "read") else item for item in value)
        elif hasattr(value, "read"):
            value = value.read()
        readable.append((name, value))
    import httpx  # only a multipart call needs the HTTP stack this early

    request = httpx.Request("POST", "http://multipart.invalid/", files=readable)
    return request.read(), request.headers["Content-Type"]


def decode_json(content: bytes) -> tuple[bool, Any]:
    """`(True, value)` for a JSON document, `(False, reason)` otherwise; never raises."""
    import json  # with the first answer, not at import

    if not content.strip():
        return False, "empty body"
    try:
        return True, json.loads(content)
    except (ValueError, RecursionError):
        # ValueError covers JSONDecodeError and invalid UTF-8; RecursionError a hostile nesting depth.
        return False, "body is not valid JSON"


def looks_like_json(headers: httpx.Headers) -> bool:
    """Whether the Content-Type (if any) is JSON; a missing Content-Type is given the benefit of the doubt."""
    content_type = headers.get("content-type")
    if content_type is None:
        return True
    media: str = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")
