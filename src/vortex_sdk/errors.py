"""Errors of the Vortex SDK: every API failure is a `VortexApiError` (`message`, `status_code`), as upstream.

Finer classes sit under it so callers can catch what they handle (`VortexNotFoundError`, ...) while code written
for the upstream SDK (`except VortexApiError as e: ... e.status_code`) keeps working. Failures with no HTTP answer
(connection refused, timeout, malformed body) carry status 500, as the upstream SDK reports them.
"""

from __future__ import annotations

from typing import Any

from sdk_runtime import ErrorBody, SDKError

NO_ANSWER_STATUS = 500


class VortexApiError(SDKError):
    """Base of every error a Vortex API call raises.

    Attributes:
        message: The service's `error` text, or `API request failed with status N` when it sent none.
        status_code: The HTTP status (500 when no usable answer arrived).
    """

    def __init__(self, message: str, status_code: int = NO_ANSWER_STATUS, **kw: Any) -> None:
        super().__init__(message, status_code=status_code, **kw)
        self.status_code: int = status_code


class VortexValidationError(VortexApiError, ValueError):
    """The request is invalid: refused before sending (bad arguments) or answered 400/422 by the service."""

    def __init__(self, message: str, status_code: int = 400, **kw: Any) -> None:
        super().__init__(message, status_code, **kw)


class VortexAuthenticationError(VortexApiError):
    """The API key was refused (401)."""


class VortexPermissionError(VortexApiError):
    """The API key may not do this (403)."""


class VortexNotFoundError(VortexApiError):
    """The invitation does not exist (404)."""


class VortexConflictError(VortexApiError):
    """The invitation's state does not allow this: revoked, expired or already accepted (409)."""


class VortexRateLimitError(VortexApiError):
    """Too many requests (429) after every retry; `retry_after` is the wait in seconds the service asked for."""

    def __init__(self, message: str, status_code: int = 429, *, retry_after: float | None = None, **kw: Any):
        super().__init__(message, status_code, **kw)
        self.retry_after = retry_after


class VortexServerError(VortexApiError):
    """The service failed (5xx) after every retry."""


class VortexConnectionError(VortexApiError):
    """No answer arrived (connection refused or dropped) after every retry; `status_code` is 500 as upstream."""


class VortexTimeoutError(VortexConnectionError):
    """The service did not answer within the timeout, after every retry."""


class VortexResponseError(VortexApiError):
    """The service answered successfully, but not with what its API promises (not JSON, missing fields)."""


class ConfigurationError(SDKError, ValueError):
    """The client was configured wrongly (missing or malformed API key, bad option); raised at construction."""


_BY_STATUS: dict[int, type[VortexApiError]] = {
    400: VortexValidationError,
    401: VortexAuthenticationError,
    403: VortexPermissionError,
    404: VortexNotFoundError,
    409: VortexConflictError,
    422: VortexValidationError,
}


class VortexErrorFactory:
    """Maps the runtime's failures onto this hierarchy (plugged into the `sdk_runtime` clients)."""

    def status_error(
        self, *, message: str, status_code: int, body: ErrorBody, request_id: str | None, retry_after: float | None
    ) -> Exception:
        """The class for an HTTP error status; the message is the body's `error`, else upstream's fallback text."""
        text = body.message or f"API request failed with status {status_code}"
        common: dict[str, Any] = {"error_code": body.code, "request_id": request_id, "details": body.details}
        if status_code == 429:
            return VortexRateLimitError(text, status_code, retry_after=retry_after, **common)
        if status_code >= 500:
            return VortexServerError(text, status_code, **common)
        return _BY_STATUS.get(status_code, VortexApiError)(text, status_code, **common)

    def connection_error(self, *, message: str, request_id: str | None, timed_out: bool) -> Exception:
        """`VortexTimeoutError` or `VortexConnectionError` (status 500, as upstream)."""
        cls = VortexTimeoutError if timed_out else VortexConnectionError
        return cls(f"Request failed: {message}", request_id=request_id)

    def malformed_response(self, *, message: str, status_code: int, request_id: str | None) -> Exception:
        """`VortexResponseError` (status 500: the answer is unusable, whatever its HTTP status said)."""
        return VortexResponseError(f"{message} (HTTP {status_code})", request_id=request_id)
