"""Seed 002's "consistent response format", written once: every client method and shortcut returns a result dict.

A success is `{"success": True, ...}` plus the method's own keys; a simulated success (debug mode) also carries
`"simulated": True`. A failure is `{"success": False, "error", "code", "status_code", "request_id"}`: `error` is a
message fit for a log line (never a secret), `code` a stable machine-readable code (the upstream's own where it has
one), `status_code` the HTTP status or None, `request_id` when one is known. Nothing here raises.

Each method declares its result as a `TypedDict` derived from `Result`, so mypy users get the keys.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, Required, TypedDict

NOT_CONFIGURED = "not_configured"
# The service is switched off (`<SERVICE>_ENABLED` false) outside debug mode: nothing was sent.
DISABLED = "disabled"
# The credential was refused by the service (HTTP 401 on every service, whatever its own error type says).
UNAUTHORIZED = "unauthorized"
INVALID_SIGNATURE = "invalid_signature"
BAD_REQUEST = "bad_request"
NOT_FOUND = "not_found"
MISSING_DEPENDENCY = "missing_dependency"
NOT_SUPPORTED = "not_supported"
NOT_AUTHENTICATED = "not_authenticated"
FILE_NOT_FOUND = "file_not_found"
# Loops
INVALID_REQUEST = "invalid_request"
IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
TRANSACTIONAL_NOT_FOUND = "transactional_not_found"
CONTACT_EXISTS = "contact_exists"
CONTACT_NOT_FOUND = "contact_not_found"
ATTACHMENTS_TOO_LARGE = "attachments_too_large"
# Direct uploads
CONTENT_TYPE_NOT_ALLOWED = "content_type_not_allowed"
UPLOAD_MISSING = "upload_missing"
UPLOAD_REJECTED = "upload_rejected"
UPLOAD_NOT_COMPLETE = "upload_not_complete"
# Webhook views' answers
INVALID_EVENT = "invalid_event"
PAYLOAD_TOO_LARGE = "payload_too_large"
METHOD_NOT_ALLOWED = "method_not_allowed"
# Phone verification
RATE_LIMITED = "rate_limited"
CODE_EXPIRED = "code_expired"
INVALID_CODE = "invalid_code"
TOO_MANY_ATTEMPTS = "too_many_attempts"
UNAVAILABLE = "unavailable"
INVALID_ARGUMENT = "invalid_argument"
TIMEOUT = "timeout"
CONNECTION_ERROR = "connection_error"
# A send that may have gone through but got no answer: it was not repeated (that could send it twice).
OUTCOME_UNKNOWN = "outcome_unknown"
MALFORMED_RESPONSE = "malformed_response"
CLIENT_CLOSED = "client_closed"
UNEXPECTED_ERROR = "unexpected_error"

# The code of an HTTP error answer whose body names none.
STATUS_CODES: Mapping[int, str] = {
    400: BAD_REQUEST,
    401: UNAUTHORIZED,
    402: "payment_required",
    403: "forbidden",
    404: NOT_FOUND,
    405: METHOD_NOT_ALLOWED,
    409: "conflict",
    413: PAYLOAD_TOO_LARGE,
    422: "unprocessable_entity",
    429: RATE_LIMITED,
}


class Result(TypedDict, total=False):
    """The keys every result may carry; each method's result type adds its own."""

    success: Required[bool]
    error: str
    code: str
    status_code: int | None
    request_id: str | None
    simulated: bool


class Failure(TypedDict):
    """What every failure carries."""

    success: Literal[False]
    error: str
    code: str
    status_code: int | None
    request_id: str | None
    details: NotRequired[dict[str, Any]]


class InvalidArgument(ValueError):
    """An argument a method refuses before sending anything; the client turns it into a failure dict."""

    def __init__(self, message: str, code: str = INVALID_ARGUMENT) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def failure(
    error: str,
    code: str,
    *,
    status_code: int | None = None,
    request_id: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> Failure:
    """A failure result."""
    result: Failure = {
        "success": False,
        "error": error,
        "code": code,
        "status_code": status_code,
        "request_id": request_id,
    }
    if details:
        result["details"] = dict(details)
    return result


def status_code_name(status: int) -> str:
    """The stable code of an HTTP status whose body names none (`rate_limited`, `server_error`, ...)."""
    if status in STATUS_CODES:
        return STATUS_CODES[status]
    return "server_error" if status >= 500 else f"http_{status}"


def failure_from_error(exc: Exception, codes: Mapping[int, str] | None = None) -> Failure:
    """The failure dict for an exception from the request loop.

    `codes` maps an HTTP status to this operation's own code (Loops' 409 on `/transactional` is a reused
    idempotency key); an upstream error code in the body wins over both that and the generic status names, except
    for 401, which is `unauthorized` on every service.
    """
    # Imported here, not at the top: the S3 and Redis integrations use this module without sdk_runtime's httpx.
    from sdk_runtime import (
        APIConnectionError,
        APIOutcomeUnknownError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        ClientClosedError,
        SDKError,
    )

    if isinstance(exc, APIStatusError):
        status = exc.status_code or 0
        details = dict(exc.details or {})
        if status == 401:
            # A refused credential means the same everywhere, whatever the upstream calls it (Stripe its error
            # type, Twilio 20003): `unauthorized`, with the upstream's own code kept in `details`.
            if exc.error_code:
                details["upstream_code"] = exc.error_code
            code = UNAUTHORIZED
        else:
            code = exc.error_code or (codes or {}).get(status) or status_code_name(status)
        return failure(exc.message, code, status_code=status, request_id=exc.request_id, details=details)
    if isinstance(exc, APIOutcomeUnknownError):
        return failure(exc.message, OUTCOME_UNKNOWN, request_id=exc.request_id)
    if isinstance(exc, APITimeoutError):
        return failure(exc.message, TIMEOUT, request_id=exc.request_id)
    if isinstance(exc, APIConnectionError):
        return failure(exc.message, CONNECTION_ERROR, request_id=exc.request_id)
    if isinstance(exc, APIResponseValidationError):
        return failure(exc.message, MALFORMED_RESPONSE, status_code=exc.status_code, request_id=exc.request_id)
    if isinstance(exc, ClientClosedError):
        return failure(exc.message, CLIENT_CLOSED)
    if isinstance(exc, SDKError):
        return failure(exc.message, exc.error_code or UNEXPECTED_ERROR, status_code=exc.status_code)
    if isinstance(exc, InvalidArgument):
        return failure(exc.message, exc.code)
    # Only the class name: an arbitrary exception's text may quote what it was handed, secrets included.
    return failure(f"unexpected {type(exc).__name__}", UNEXPECTED_ERROR)


def log_failure(logger: logging.Logger, service: str, operation: str, result: Mapping[str, Any]) -> None:
    """Log a failure once, at WARNING for what the caller passed and at ERROR for what the service did."""
    level = logging.WARNING if result.get("code") in (INVALID_ARGUMENT, NOT_CONFIGURED, DISABLED) else logging.ERROR
    logger.log(
        level,
        "%s %s failed: %s (code=%s, status=%s, request_id=%s)",
        service,
        operation,
        result.get("error"),
        result.get("code"),
        result.get("status_code"),
        result.get("request_id"),
    )
