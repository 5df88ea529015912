"""The error base every SDK of the family roots its hierarchy in, and the reading of upstream error bodies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .values import fill, frozen_value


class SDKError(Exception):
    """Base of every error an SDK of this family raises.

    Attributes:
        message: What went wrong, in words fit for a log line (never contains a secret).
        status_code: The HTTP status the service answered with, or None when no answer arrived.
        error_code: The service's machine-readable code (`NOT_FOUND`, `VALIDATION_ERROR`, ...), when it sent one.
        request_id: The request's ID (from the `X-Request-ID` response header, or the one we sent).
        details: Extra structured facts from the error body, such as per-field validation messages.
        http_body: The error answer's body as text (secrets scrubbed), or None when no answer arrived.
        http_headers: The error answer's headers, or None when no answer arrived.
    """

    http_body: str | None = None
    http_headers: Mapping[str, str] | None = None

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        error_code: str | None = None,
        request_id: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.error_code = error_code
        self.request_id = request_id
        self.details: dict[str, Any] = dict(details or {})

    def __str__(self) -> str:
        parts = [self.message]
        if self.status_code is not None:
            parts.append(f"(status {self.status_code})")
        if self.request_id:
            parts.append(f"[request_id={self.request_id}]")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status_code={self.status_code!r}, "
            f"error_code={self.error_code!r}, request_id={self.request_id!r})"
        )


class ConfigurationError(SDKError, ValueError):
    """The client was configured wrongly (missing or malformed API key, bad option); raised at construction."""


class APIConnectionError(SDKError):
    """No HTTP answer arrived (connection refused or dropped, DNS failure), after every retry was spent."""


class APITimeoutError(APIConnectionError):
    """The service did not answer within the timeout, after every retry was spent."""


class APIOutcomeUnknownError(APIConnectionError):
    """An at-most-once request (see `Call.at_most_once`) may have reached the service, but no answer arrived.

    It was not repeated, since repeating it could repeat its effect (a second text message): whether it took effect
    is unknown until the caller checks (by listing, say).
    """


class APIStatusError(SDKError):
    """The service answered with an error status (4xx or 5xx)."""


class APIResponseValidationError(SDKError):
    """The service answered successfully but the body is not what its spec promises (bad JSON, HTML, missing field)."""


@frozen_value
class ErrorBody:
    """The facts an upstream error body carries, whatever its shape."""

    __slots__ = ("code", "details", "message")
    message: str | None
    code: str | None
    details: dict[str, Any]

    def __init__(
        self, message: str | None = None, code: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        fill(self, message=message, code=code, details={} if details is None else details)


def read_error_body(body: object) -> ErrorBody:
    """Read an error body in any of the shapes our upstreams use.

    Understood: nested `{"error": {"code", "message", "details"}}` (Vault server, Stripe), flat
    `{"message", "code", "details"}` (Vault's older deployments, Loops; Twilio's numeric `code` as its digits and
    its `more_info` in the details), and
    `{"error": "text"}` (Vortex).
    Anything else yields an empty `ErrorBody`; this never raises.
    """
    if not isinstance(body, Mapping):
        return ErrorBody()
    error = body.get("error")
    if isinstance(error, Mapping):
        return ErrorBody(
            message=_text(error.get("message")),
            code=_text(error.get("code")) or _text(error.get("type")),
            details=_mapping(error.get("details")) or _stripe_fields(error),
        )
    details = _mapping(body.get("details"))
    more_info = _text(body.get("more_info"))  # Twilio: the error's documentation page
    if more_info:
        details.setdefault("more_info", more_info)
    return ErrorBody(message=_text(body.get("message")) or _text(error), code=_code(body.get("code")), details=details)


STRIPE_ERROR_FIELDS = ("type", "decline_code", "param", "doc_url")


def _stripe_fields(error: Mapping[str, Any]) -> dict[str, Any]:
    """Stripe's error object names its kind and the decline beside `code`: kept as details."""
    return {name: error[name] for name in STRIPE_ERROR_FIELDS if _text(error.get(name))}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _code(value: object) -> str | None:
    """A code as text; numeric codes (Twilio's `21211`) become their digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value)


def _mapping(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}
