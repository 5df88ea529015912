"""Errors of the Vault Auth SDK: one hierarchy under `VaultAuthError`, itself an `sdk_runtime.SDKError`.

Both upstream error shapes are understood: the server's nested `{"error": {"code", "message", "details"}}` and
the flat `{"message", "code", "details"}` of older deployments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sdk_runtime import ErrorBody, SDKError


class VaultAuthError(SDKError):
    """Base of every error this SDK raises (`message`, `status_code`, `error_code`, `details`, `request_id`)."""


class ConfigurationError(VaultAuthError, ValueError):
    """The client was configured wrongly (missing or malformed API key, bad option)."""


class AuthenticationError(VaultAuthError):
    """The API key or the token was refused (401)."""


class TokenExpiredError(AuthenticationError):
    """The token's `exp` has passed (after the leeway)."""


class InvalidTokenError(AuthenticationError):
    """The token is malformed, forged, signed by an unknown key, or its session or user is gone."""


class AuthorizationError(VaultAuthError):
    """The API key may not do this (403)."""


class NotFoundError(VaultAuthError):
    """The resource does not exist (404); `resource_type` and `resource_id` say which."""

    def __init__(self, message: str, *, resource_type: str | None = None, resource_id: str | None = None, **kw: Any):
        super().__init__(message, **kw)
        self.resource_type = resource_type
        self.resource_id = resource_id


class RateLimitError(VaultAuthError):
    """Too many requests (429); `retry_after` is the number of seconds to wait (60 when the server did not say)."""

    def __init__(self, message: str, *, retry_after: int = 60, **kw: Any):
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(VaultAuthError):
    """The service failed (5xx) after every retry; `status_code` says how."""


class ValidationError(VaultAuthError, ValueError):
    """The request was invalid (400, or refused before sending); `field_errors` maps each field to its problems."""

    def __init__(self, message: str, *, field_errors: Mapping[str, list[str]] | None = None, **kw: Any):
        super().__init__(message, **kw)
        self.field_errors: dict[str, list[str]] = dict(field_errors or {})

    def __str__(self) -> str:
        """The message, status and request ID, then each field's problems (`email: Invalid email format`)."""
        text = super().__str__()
        if not self.field_errors:
            return text
        fields = "; ".join(f"{name}: {', '.join(problems)}" for name, problems in self.field_errors.items())
        return f"{text}: {fields}"


class VaultConnectionError(VaultAuthError):
    """No answer arrived from Vault (connection refused or dropped), after every retry."""


class VaultTimeoutError(VaultConnectionError):
    """Vault did not answer within the timeout, after every retry."""


class KeysUnavailableError(VaultConnectionError):
    """No usable signing keys: the JWKS could not be fetched and no last-good set is within its grace period."""


class ResponseValidationError(VaultAuthError):
    """Vault answered successfully, but the body is not what its API promises."""


class VaultErrorFactory:
    """Maps the runtime's failures onto this hierarchy (plugged into `sdk_runtime` clients)."""

    def status_error(
        self, *, message: str, status_code: int, body: ErrorBody, request_id: str | None, retry_after: float | None
    ) -> Exception:
        """The error class for an HTTP status, carrying the body's code and details."""
        common: dict[str, Any] = {
            "status_code": status_code,
            "error_code": body.code,
            "request_id": request_id,
            "details": body.details,
        }
        if status_code == 400:
            return ValidationError(message, field_errors=_field_errors(body.details), **common)
        if status_code == 401:
            return (TokenExpiredError if body.code == "TOKEN_EXPIRED" else AuthenticationError)(message, **common)
        if status_code == 403:
            return AuthorizationError(message, **common)
        if status_code == 404:
            return NotFoundError(
                message,
                resource_type=_text(body.details.get("resource_type")),
                resource_id=_text(body.details.get("resource_id")),
                **common,
            )
        if status_code == 429:
            return RateLimitError(message, retry_after=round(retry_after) if retry_after is not None else 60, **common)
        if status_code >= 500:
            return ServerError(message, **common)
        return VaultAuthError(message, **common)

    def connection_error(self, *, message: str, request_id: str | None, timed_out: bool) -> Exception:
        """`VaultTimeoutError` or `VaultConnectionError`."""
        return (VaultTimeoutError if timed_out else VaultConnectionError)(message, request_id=request_id)

    def malformed_response(self, *, message: str, status_code: int, request_id: str | None) -> Exception:
        """`ResponseValidationError`."""
        return ResponseValidationError(message, status_code=status_code, request_id=request_id)


def _field_errors(details: Mapping[str, Any]) -> dict[str, list[str]]:
    fields = details.get("fields")
    if not isinstance(fields, Mapping):
        return {}
    return {str(k): [str(m) for m in v] if isinstance(v, list) else [str(v)] for k, v in fields.items()}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
