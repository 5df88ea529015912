"""boto3/botocore exceptions as the guide's failure dicts, with S3's own error codes (`NoSuchKey`, `AccessDenied`, ...).

A HEAD answer has no body, so S3 reports a missing object or bucket as a bare `404` (and a refusal as `403`):
those become `NoSuchKey` and `AccessDenied`. Network trouble becomes `connection_error` or `timeout`. Only S3's
own message or the exception's class name reaches `error`, never request parameters or credentials.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..results import CONNECTION_ERROR, INVALID_ARGUMENT, NOT_CONFIGURED, TIMEOUT, UNEXPECTED_ERROR, Failure, failure

NOT_CONFIGURED_MESSAGE = "S3 client not configured"

# Codes of bodiless answers (HEAD), and messages for codes S3 sends without one.
_BARE_CODES = {"404": "NoSuchKey", "NotFound": "NoSuchKey", "403": "AccessDenied", "Forbidden": "AccessDenied"}
_MESSAGES = {
    "NoSuchKey": "The object does not exist (or its bucket does not)",
    "NoSuchBucket": "The bucket does not exist",
    "AccessDenied": "Access denied",
    "400": "Bad request",
}


def not_configured() -> Failure:
    """The failure of a client without bucket or credentials (the integrations guide's `"S3 client not configured"`)."""
    return failure(NOT_CONFIGURED_MESSAGE, NOT_CONFIGURED)


def failure_from_boto(exc: BaseException) -> Failure:
    """The failure dict for an exception raised by a boto3 call."""
    from botocore import exceptions as boto

    cause = exc.__cause__ if type(exc).__name__ == "S3UploadFailedError" and exc.__cause__ is not None else exc
    if isinstance(cause, boto.ClientError):
        return _from_client_error(cause.response)
    if isinstance(cause, boto.NoCredentialsError | boto.PartialCredentialsError):
        return failure(NOT_CONFIGURED_MESSAGE, NOT_CONFIGURED)
    if isinstance(cause, boto.ParamValidationError):
        return failure("S3 refused the request's parameters before sending it", INVALID_ARGUMENT)
    if isinstance(cause, boto.ConnectTimeoutError | boto.ReadTimeoutError):
        return failure("S3 did not answer in time", TIMEOUT)
    if isinstance(cause, boto.EndpointConnectionError | boto.ConnectionClosedError | boto.HTTPClientError):
        return failure("Could not reach S3", CONNECTION_ERROR)
    if isinstance(cause, boto.BotoCoreError | OSError):
        return failure(f"S3 call failed ({type(cause).__name__})", CONNECTION_ERROR)
    return failure(f"unexpected {type(cause).__name__}", UNEXPECTED_ERROR)


def _from_client_error(response: Mapping[str, Any]) -> Failure:
    error = response.get("Error") or {}
    meta = response.get("ResponseMetadata") or {}
    raw_code = str(error.get("Code") or meta.get("HTTPStatusCode") or "UnknownError")
    code = _BARE_CODES.get(raw_code, raw_code)
    # A bodiless answer's "message" is botocore's reason phrase ("Not Found"): say what it means instead.
    bare = raw_code in _BARE_CODES
    message = str((None if bare else error.get("Message")) or _MESSAGES.get(code) or f"S3 answered {raw_code}")
    status = meta.get("HTTPStatusCode")
    request_id = meta.get("RequestId") or None
    return failure(message, code, status_code=int(status) if status else None, request_id=request_id)
