"""Shared runtime of the SDK family: configuration, the request loop with retries, errors, pagination, secrets.

Every SDK facade (`vault_auth`, `vortex_sdk`, ...) builds its clients on `SyncAPIClient` / `AsyncAPIClient`
and roots its error hierarchy in `SDKError`, so retry decisions, header building, error mapping and pagination
are written once here.

Each name is imported from its module when first read (`sdk_runtime.ClientConfig` loads only `config` and what it
needs), so that importing a facade and building a client loads neither the request loop nor the HTTP stack.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .lazy_module import lazy_attributes

if TYPE_CHECKING:
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

__getattr__: Callable[[str], Any] = lazy_attributes(
    __name__,
    {
        "APIConnectionError": ".errors",
        "APIOutcomeUnknownError": ".errors",
        "APIResponse": ".call",
        "APIResponseValidationError": ".errors",
        "APIStatusError": ".errors",
        "APITimeoutError": ".errors",
        "AsyncAPIClient": ".client",
        "AsyncPaginator": ".pagination",
        "Attempt": ".raw_response",
        "AuthScheme": ".config",
        "Call": ".call",
        "ClientClosedError": ".client",
        "ClientConfig": ".config",
        "ConfigurationError": ".errors",
        "DefaultErrorFactory": ".engine",
        "Endpoint": ".option_sources",
        "ErrorBody": ".errors",
        "ErrorFactory": ".engine",
        "Exchange": ".raw_response",
        "Expect": ".call",
        "Operation": ".operation",
        "Page": ".pagination",
        "RawResponse": ".raw_response",
        "RequestEngine": ".engine",
        "RequestOptions": ".request_options",
        "RequestOptionsArgs": ".option_keywords",
        "RequestOptionsArgsWithoutKey": ".option_keywords",
        "RetryDecision": ".retry",
        "RetryPolicy": ".retry",
        "SDKError": ".errors",
        "Secret": ".secrets",
        "SyncAPIClient": ".client",
        "accepts_request_options": ".option_keywords",
        "read_error_body": ".errors",
        "redact": ".secrets",
        "resolve_endpoint": ".option_sources",
    },
)


def __dir__() -> list[str]:
    return sorted(__all__)


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
