"""Shared runtime of the SDK family: configuration, the request loop with retries, errors, pagination, secrets.

Every SDK facade (`vault_auth`, `vortex_sdk`, ...) builds its clients on `SyncAPIClient` / `AsyncAPIClient`
and roots its error hierarchy in `SDKError`, so retry decisions, header building, error mapping and pagination
are written once here.
"""

from ._version import __version__
from .call import APIResponse, Call, Expect
from .client import AsyncAPIClient, ClientClosedError, SyncAPIClient
from .config import AuthScheme, ClientConfig
from .engine import DefaultErrorFactory, ErrorFactory, RequestEngine
from .errors import (
    APIConnectionError,
    APIOutcomeUnknownError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    ErrorBody,
    SDKError,
    read_error_body,
)
from .operation import Operation
from .option_keywords import RequestOptionsArgs, RequestOptionsArgsWithoutKey, accepts_request_options
from .option_sources import Endpoint, resolve_endpoint
from .pagination import AsyncPaginator, Page
from .raw_response import Attempt, Exchange, RawResponse
from .request_options import RequestOptions
from .retry import RetryDecision, RetryPolicy
from .secrets import Secret, redact

__all__ = [
    "APIConnectionError",
    "APIOutcomeUnknownError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIClient",
    "AsyncPaginator",
    "Attempt",
    "AuthScheme",
    "Call",
    "ClientClosedError",
    "ClientConfig",
    "ConfigurationError",
    "DefaultErrorFactory",
    "Endpoint",
    "ErrorBody",
    "ErrorFactory",
    "Exchange",
    "Expect",
    "Operation",
    "Page",
    "RawResponse",
    "RequestEngine",
    "RequestOptions",
    "RequestOptionsArgs",
    "RequestOptionsArgsWithoutKey",
    "RetryDecision",
    "RetryPolicy",
    "SDKError",
    "Secret",
    "SyncAPIClient",
    "__version__",
    "accepts_request_options",
    "read_error_body",
    "redact",
    "resolve_endpoint",
]
