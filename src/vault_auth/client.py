"""`VaultAuth` and `AsyncVaultAuth`: the seed's seven options, resources, and the shared runtime underneath."""

from __future__ import annotations

import math
from functools import cached_property
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from sdk_runtime import APIResponse, AsyncAPIClient, AuthScheme, ClientConfig, SyncAPIClient
from sdk_runtime import ConfigurationError as RuntimeConfigurationError

from . import operations as ops
from ._version import __version__
from .errors import ConfigurationError, ResponseValidationError, VaultErrorFactory
from .organizations import AsyncOrganizations, Organizations
from .sessions import AsyncSessions, Sessions
from .token_claims import decode_unverified
from .types import JWKS, TokenPayload
from .users import AsyncUsers, Users

T = TypeVar("T")
DEFAULT_BASE_URL = "https://api.vault.dev"
API_KEY_ENV = "VAULT_API_KEY"
API_KEY_PREFIX = "vault_m2m_"
ERRORS = VaultErrorFactory()


def build_config(
    api_key: str | None,
    base_url: str,
    timeout: float,
    max_retries: int,
    retry_delay: float,
    request_id: str | None,
    jwks_cache_ttl: float,
) -> ClientConfig:
    """Validate the seed's options into a runtime config; raise `ConfigurationError` naming the bad one."""
    try:
        config = ClientConfig.create(
            api_key=api_key, api_key_env=API_KEY_ENV, base_url=base_url, sdk_name="vault-auth-python",
            sdk_version=__version__, timeout=timeout, max_retries=max_retries, retry_delay=retry_delay,
            request_id=request_id, auth=AuthScheme(), logger_name="vault_auth",
        )  # fmt: skip
    except RuntimeConfigurationError as exc:
        raise ConfigurationError(exc.message) from None
    if not config.api_key.reveal().startswith(API_KEY_PREFIX):
        raise ConfigurationError(f"API key must start with {API_KEY_PREFIX!r} (a Vault M2M key)")
    if (
        isinstance(jwks_cache_ttl, bool)
        or not isinstance(jwks_cache_ttl, int | float)
        or not 0 < jwks_cache_ttl < math.inf
    ):
        raise ConfigurationError(f"jwks_cache_ttl must be a finite number of seconds above 0, got {jwks_cache_ttl!r}")
    return config


def parse_answer(op: ops.Operation[T], response: APIResponse) -> T:
    """Run an operation's parser; a body of the wrong shape becomes `ResponseValidationError`, never a raw error."""
    try:
        return op.parse(response)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ResponseValidationError(
            f"unexpected response body ({type(exc).__name__})",
            status_code=response.status_code,
            request_id=response.request_id,
        ) from None


class _VaultClientBase:
    """What both clients share: options, decoding without verification."""

    jwks_cache_ttl: float

    def decode_token(self, token: str) -> TokenPayload:
        """The token's claims WITHOUT checking its signature or expiry (for display and routing only)."""
        return decode_unverified(token)


class VaultAuth(_VaultClientBase):
    """The Vault client (sync).

    Args:
        api_key: Your Vault M2M API key (`vault_m2m_...`); read from `VAULT_API_KEY` when not passed.
        base_url: Vault API base URL.
        timeout: Request timeout in seconds (connect phase capped at 5 s).
        max_retries: Retries after the first attempt, for connection errors, timeouts, 408, 429 and 5xx.
        retry_delay: Base retry delay in seconds; it doubles on each retry (with jitter, capped).
        request_id: Sent as `X-Request-ID` on every request, for tracing.
        jwks_cache_ttl: How long the JWKS is cached, in seconds.
        http_client: An `httpx.Client` to send through (never closed by us).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        max_retries: int = 3,
        retry_delay: float = 1.0,
        request_id: str | None = None,
        jwks_cache_ttl: float = 3600,
        *,
        http_client: httpx.Client | None = None,
    ) -> None:
        config = build_config(api_key, base_url, timeout, max_retries, retry_delay, request_id, jwks_cache_ttl)
        self.jwks_cache_ttl = float(jwks_cache_ttl)
        self._http = SyncAPIClient(config, errors=ERRORS, http_client=http_client)

    def __repr__(self) -> str:
        return f"VaultAuth(base_url={self._http.config.base_url!r}, api_key={self._http.config.api_key!r})"

    @cached_property
    def users(self) -> Users:
        """User management."""
        return Users(self)

    @cached_property
    def organizations(self) -> Organizations:
        """Organization management."""
        return Organizations(self)

    @cached_property
    def sessions(self) -> Sessions:
        """Session management."""
        return Sessions(self)

    def run(self, op: ops.Operation[T]) -> T:
        """Send one operation through the runtime (retries, errors) and parse its answer."""
        return parse_answer(op, self._http.request(op.call))

    def get_jwks(self) -> JWKS:
        """The JSON Web Key Set Vault signs access tokens with."""
        return self.run(ops.jwks_get())

    def health_check(self) -> dict[str, Any]:
        """Vault's health endpoint, as returned."""
        return self.run(ops.health())

    def with_options(self, **changes: Any) -> Self:
        """A client sharing this one's connection pool with some options changed (`timeout`, `max_retries`, ...)."""
        clone = object.__new__(type(self))
        clone.__dict__.update(jwks_cache_ttl=self.jwks_cache_ttl, _http=self._http.with_options(**changes))
        return clone

    def close(self) -> None:
        """Release the connection pool (unless it was passed in)."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncVaultAuth(_VaultClientBase):
    """The Vault client (async): the same API as `VaultAuth`, awaitable, with an `httpx.AsyncClient` underneath."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        max_retries: int = 3,
        retry_delay: float = 1.0,
        request_id: str | None = None,
        jwks_cache_ttl: float = 3600,
        *,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        config = build_config(api_key, base_url, timeout, max_retries, retry_delay, request_id, jwks_cache_ttl)
        self.jwks_cache_ttl = float(jwks_cache_ttl)
        self._http = AsyncAPIClient(config, errors=ERRORS, http_client=http_client)

    def __repr__(self) -> str:
        return f"AsyncVaultAuth(base_url={self._http.config.base_url!r}, api_key={self._http.config.api_key!r})"

    @cached_property
    def users(self) -> AsyncUsers:
        """User management."""
        return AsyncUsers(self)

    @cached_property
    def organizations(self) -> AsyncOrganizations:
        """Organization management."""
        return AsyncOrganizations(self)

    @cached_property
    def sessions(self) -> AsyncSessions:
        """Session management."""
        return AsyncSessions(self)

    async def run(self, op: ops.Operation[T]) -> T:
        """Send one operation through the runtime (retries, errors) and parse its answer."""
        return parse_answer(op, await self._http.request(op.call))

    async def get_jwks(self) -> JWKS:
        """The JSON Web Key Set Vault signs access tokens with."""
        return await self.run(ops.jwks_get())

    async def health_check(self) -> dict[str, Any]:
        """Vault's health endpoint, as returned."""
        return await self.run(ops.health())

    def with_options(self, **changes: Any) -> Self:
        """A client sharing this one's connection pool with some options changed."""
        clone = object.__new__(type(self))
        clone.__dict__.update(jwks_cache_ttl=self.jwks_cache_ttl, _http=self._http.with_options(**changes))
        return clone

    async def close(self) -> None:
        """Release the connection pool (unless it was passed in)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
