"""`VaultAuth` and `AsyncVaultAuth`: the documented seven options, resources, and the shared runtime underneath."""

from __future__ import annotations

import math
import threading
import time
from functools import cached_property
from typing import TYPE_CHECKING, Any, Self, TypeVar, Unpack

from sdk_runtime import (
    AsyncAPIClient,
    AuthScheme,
    ClientConfig,
    RequestOptionsArgs,
    SyncAPIClient,
    accepts_request_options,
    resolve_endpoint,
)
from sdk_runtime import ConfigurationError as RuntimeConfigurationError
from sdk_runtime.call_proxies import CallViews
from sdk_runtime.config import validate_http_client
from sdk_runtime.lifecycle import AsyncClosingContext, ClosingContext

from ._version import __version__
from .errors import AuthenticationError, ConfigurationError, VaultAuthError, VaultErrorFactory
from .key_cache import KeyCache
from .token_options import VerifyOptions
from .verified_tokens import VerifiedTokens

# Resources, operations (the generated endpoints) and PyJWT are imported where first used, so importing vault_auth
# and building a client stays cheap (measured by `make bench`).
if TYPE_CHECKING:
    import asyncio

    import httpx

    from sdk_runtime import APIResponse, Operation, RequestOptions

    from .organizations import AsyncOrganizations, Organizations
    from .sessions import AsyncSessions, Sessions
    from .types import JWKS, TokenPayload, User
    from .users import AsyncUsers, Users

T = TypeVar("T")
JWKS_FETCH_TIMEOUT = 5.0
DEFAULT_BASE_URL = "https://api.vault.dev"
API_KEY_ENV = "VAULT_API_KEY"
BASE_URL_ENV = "VAULT_BASE_URL"
API_KEY_PREFIX = "vault_m2m_"
ERRORS = VaultErrorFactory()


def build_config(
    api_key: str | None,
    base_url: str | None,
    timeout: float,
    max_retries: int,
    retry_delay: float,
    request_id: str | None,
    jwks_cache_ttl: float,
) -> ClientConfig:
    """Validate the documented options into a runtime config; raise `ConfigurationError` naming the bad one.

    Key and URL follow the family's rule: argument > Django setting > environment (`VAULT_API_KEY`,
    `VAULT_BASE_URL`) > default.
    """
    try:
        endpoint = resolve_endpoint(
            api_key, base_url, api_key_name=API_KEY_ENV, base_url_name=BASE_URL_ENV, default_base_url=DEFAULT_BASE_URL
        )
        config = ClientConfig.create(
            api_key=endpoint.api_key, api_key_env=API_KEY_ENV, base_url=endpoint.base_url,
            sdk_name="vault-auth-python", sdk_version=__version__, timeout=timeout, max_retries=max_retries,
            retry_delay=retry_delay, request_id=request_id, auth=AuthScheme(), logger_name="vault_auth",
            log_env="VAULT_LOG",
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


def check_http_client(http_client: object, kind: str) -> None:
    """`ConfigurationError` unless `http_client` is None or an httpx/httpx2 `kind` (`"Client"`, `"AsyncClient"`)."""
    try:
        validate_http_client(http_client, kind)
    except RuntimeConfigurationError as exc:
        raise ConfigurationError(exc.message) from None


_VERIFICATION: Any = None


def _verification() -> Any:
    """The verification module, imported on first use (it loads PyJWT) and then kept at hand for the hot path."""
    global _VERIFICATION
    if _VERIFICATION is None:
        from . import verification

        _VERIFICATION = verification
    return _VERIFICATION


def parse_answer(op: Operation[T], response: APIResponse) -> T:
    """Run an operation's parser; a body of the wrong shape becomes `ResponseValidationError`, never a raw error."""
    return op.answer(response, ERRORS)


class _VaultClientBase(CallViews):
    """What both clients share: token options and state, decoding without verification, the raw/options views."""

    def _refused_options(self, error: RuntimeConfigurationError) -> Exception:
        return ConfigurationError(error.message)

    jwks_cache_ttl: float
    _http: Any  # each client narrows it: SyncAPIClient or AsyncAPIClient

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._http.config.base_url!r}, api_key={self._http.config.api_key!r})"

    def with_options(self, **changes: Any) -> Self:
        """A client sharing this one's connection pool and key cache, with some options changed (`timeout`, ...)."""
        clone = object.__new__(type(self))
        clone.__dict__.update({k: v for k, v in self.__dict__.items() if k != "_jwks_http"})
        clone._http = self._http.with_options(**changes)
        return clone

    def _init_tokens(self, jwks_cache_ttl: float, options: VerifyOptions) -> None:
        self.jwks_cache_ttl = float(jwks_cache_ttl)
        self._verify_options = options
        self._keys = KeyCache(ttl=self.jwks_cache_ttl)
        self._verified = VerifiedTokens(options.token_cache_ttl)

    def decode_token(self, token: str) -> TokenPayload:
        """The token's claims WITHOUT checking its signature or expiry (for display and routing only)."""
        from .token_claims import decode_unverified

        return decode_unverified(token)

    def _local_check(self, token: str) -> TokenPayload:
        verification = _verification()
        verification.require_usable(self._keys, time.monotonic())
        payload: TokenPayload = verification.check(token, self._keys, self._verify_options)
        return payload

    def _cached_user(self, token: str) -> User | None:
        user: User | None = self._verified.get(token, self._keys.generation)
        return user


class VaultAuth(_VaultClientBase, ClosingContext):
    """The Vault client (sync).

    Args:
        api_key: Your Vault M2M API key (`vault_m2m_...`); when not passed, Django's `settings.VAULT_API_KEY`
            (if Django is configured), else the `VAULT_API_KEY` environment variable.
        base_url: Vault API base URL; when not passed, `settings.VAULT_BASE_URL`, else `VAULT_BASE_URL`, else
            `https://api.vault.dev`.
        timeout: Request timeout in seconds (connect phase capped at 5 s).
        max_retries: Retries after the first attempt, for connection errors, timeouts, 408, 429 and 5xx.
        retry_delay: Base retry delay in seconds; it doubles on each retry (with jitter, capped).
        request_id: Sent as `X-Request-ID` on every request, for tracing.
        jwks_cache_ttl: How long the JWKS is cached, in seconds.
        issuer: When set, tokens must carry exactly this `iss`.
        audience: When set, tokens must carry this `aud`.
        leeway: Clock skew allowed on `exp` and `iat`, 0-300 seconds.
        token_cache_ttl: How long a token Vault confirmed is trusted without asking again (never past `exp`): the
            bound on seeing a session or user ended elsewhere; 0 always asks Vault. Ends made through this
            client are seen at once.
        authorized_parties: When set, a token's `azp` must be one of these.
        max_token_lifetime: When set, tokens living longer than this (`exp - iat`, seconds) are refused.
        http_client: An `httpx.Client` to send through (never closed by us).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 3,
        retry_delay: float = 1.0,
        request_id: str | None = None,
        jwks_cache_ttl: float = 3600,
        *,
        issuer: str | None = None,
        audience: str | None = None,
        leeway: float = 60.0,
        token_cache_ttl: float = 60.0,
        authorized_parties: tuple[str, ...] | list[str] | None = None,
        max_token_lifetime: float | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        config = build_config(api_key, base_url, timeout, max_retries, retry_delay, request_id, jwks_cache_ttl)
        options = VerifyOptions(issuer, audience, leeway, token_cache_ttl, authorized_parties, max_token_lifetime)
        check_http_client(http_client, "Client")
        self._init_tokens(jwks_cache_ttl, options)
        self._http: SyncAPIClient = SyncAPIClient(config, errors=ERRORS, http_client=http_client)
        self._keys_lock = threading.Lock()

    @cached_property
    def _jwks_http(self) -> SyncAPIClient:
        # Key fetches fail fast: no retries, a short timeout; the last good keys cover an outage.
        return self._http.with_options(max_retries=0, timeout=JWKS_FETCH_TIMEOUT)

    def _refresh_keys(self, force: bool) -> None:
        if not force and self._keys.is_fresh(time.monotonic()):
            return
        with self._keys_lock:
            if not self._keys.begin_refresh(time.monotonic(), force):
                return
            from .operations import jwks_get

            op = jwks_get()
            try:
                from sdk_runtime.request_options import using_options  # with the first fetch, not at import

                with using_options(None):  # the client's own key fetch, never changed by a call's options
                    jwks: JWKS = parse_answer(op, self._jwks_http.request(op.call))
            except VaultAuthError as exc:
                self._keys.fetch_failed(time.monotonic(), self._jwks_http.config.base_url + op.call.path, exc.message)
                return
            self._keys.store(jwks, time.monotonic())

    def verify_token_locally(self, token: str) -> TokenPayload:
        """Check the token here, with no call to Vault but a (cached) JWKS: signature, algorithm, expiry, claims.

        Raises `InvalidTokenError` or `TokenExpiredError` with a reason, or `KeysUnavailableError` when no signing
        keys can be had. Does not know about revoked sessions or deleted users: `verify_token` does.
        """
        self._refresh_keys(force=False)
        try:
            return self._local_check(token)
        except _verification().UnknownKeyId:
            self._refresh_keys(force=True)
            return self._local_check(token)

    @accepts_request_options
    def verify_token(
        self,
        token: str,
        *,
        use_cache: bool = True,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> User:
        """The token's user, after the local check and Vault's confirmation (refuses revoked sessions, deleted users).

        A confirmed token is trusted for `token_cache_ttl` seconds (never past its expiry), so repeating it is cheap.
        Sessions and users this client ends (`sessions.revoke`, `users.delete`, ...) are forgotten at once; ends
        made elsewhere are seen within `token_cache_ttl`. `use_cache=False` always asks Vault.
        """
        from .verification import token_refused

        cached = self._cached_user(token) if use_cache else None
        if cached is not None:
            return cached
        from .operations import auth_verify

        epoch = self._verified.epoch()
        payload = self.verify_token_locally(token)
        try:
            user: User = self.run(auth_verify(token))
        except AuthenticationError as exc:
            raise token_refused(exc) from None
        self._verified.put(token, payload, user, self._keys.generation, epoch)
        return user

    @cached_property
    def users(self) -> Users:
        """User management."""
        from .users import Users

        return Users(self)

    @cached_property
    def organizations(self) -> Organizations:
        """Organization management."""
        from .organizations import Organizations

        return Organizations(self)

    @cached_property
    def sessions(self) -> Sessions:
        """Session management."""
        from .sessions import Sessions

        return Sessions(self)

    @accepts_request_options
    def run(
        self, op: Operation[T], *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> T:
        """Send one operation through the runtime (retries, errors) and parse its answer."""
        return parse_answer(op, self._http.request(op.call))

    @accepts_request_options
    def get_jwks(self, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]) -> JWKS:
        """The JSON Web Key Set Vault signs access tokens with."""
        from . import operations as ops

        return self.run(ops.jwks_get())

    @accepts_request_options
    def health_check(
        self, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> dict[str, Any]:
        """Vault's health endpoint, as returned."""
        from . import operations as ops

        return self.run(ops.health())

    def close(self) -> None:
        """Release the connection pool (unless it was passed in)."""
        self._http.close()


class AsyncVaultAuth(_VaultClientBase, AsyncClosingContext):
    """The Vault client (async): the same API as `VaultAuth`, awaitable, with an `httpx.AsyncClient` underneath."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 3,
        retry_delay: float = 1.0,
        request_id: str | None = None,
        jwks_cache_ttl: float = 3600,
        *,
        issuer: str | None = None,
        audience: str | None = None,
        leeway: float = 60.0,
        token_cache_ttl: float = 60.0,
        authorized_parties: tuple[str, ...] | list[str] | None = None,
        max_token_lifetime: float | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        config = build_config(api_key, base_url, timeout, max_retries, retry_delay, request_id, jwks_cache_ttl)
        options = VerifyOptions(issuer, audience, leeway, token_cache_ttl, authorized_parties, max_token_lifetime)
        check_http_client(http_client, "AsyncClient")
        self._init_tokens(jwks_cache_ttl, options)
        self._http: AsyncAPIClient = AsyncAPIClient(config, errors=ERRORS, http_client=http_client)
        self._keys_lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    def _loop_keys_lock(self) -> asyncio.Lock:
        # One fetch for many concurrent tasks. An asyncio.Lock belongs to one loop, so each loop this client is
        # used on (one `asyncio.run` after another) gets its own.
        import asyncio

        loop = asyncio.get_running_loop()
        held = self._keys_lock
        if held is None or held[0] is not loop:
            held = self._keys_lock = (loop, asyncio.Lock())
        return held[1]

    @cached_property
    def _jwks_http(self) -> AsyncAPIClient:
        return self._http.with_options(max_retries=0, timeout=JWKS_FETCH_TIMEOUT)

    async def _refresh_keys(self, force: bool) -> None:
        if not force and self._keys.is_fresh(time.monotonic()):
            return
        async with self._loop_keys_lock():
            if not self._keys.begin_refresh(time.monotonic(), force):
                return
            from .operations import jwks_get

            op = jwks_get()
            try:
                from sdk_runtime.request_options import using_options  # with the first fetch, not at import

                with using_options(None):  # the client's own key fetch, never changed by a call's options
                    jwks: JWKS = parse_answer(op, await self._jwks_http.request(op.call))
            except VaultAuthError as exc:
                self._keys.fetch_failed(time.monotonic(), self._jwks_http.config.base_url + op.call.path, exc.message)
                return
            self._keys.store(jwks, time.monotonic())

    async def verify_token_locally(self, token: str) -> TokenPayload:
        """Check the token here (see `VaultAuth.verify_token_locally`); never blocks the event loop."""
        await self._refresh_keys(force=False)
        try:
            return self._local_check(token)
        except _verification().UnknownKeyId:
            await self._refresh_keys(force=True)
            return self._local_check(token)

    @accepts_request_options
    async def verify_token(
        self,
        token: str,
        *,
        use_cache: bool = True,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> User:
        """The token's user, after the local check and Vault's confirmation (see `VaultAuth.verify_token`)."""
        from .verification import token_refused

        cached = self._cached_user(token) if use_cache else None
        if cached is not None:
            return cached
        from .operations import auth_verify

        epoch = self._verified.epoch()
        payload = await self.verify_token_locally(token)
        try:
            user: User = await self.run(auth_verify(token))
        except AuthenticationError as exc:
            raise token_refused(exc) from None
        self._verified.put(token, payload, user, self._keys.generation, epoch)
        return user

    @cached_property
    def users(self) -> AsyncUsers:
        """User management."""
        from .users import AsyncUsers

        return AsyncUsers(self)

    @cached_property
    def organizations(self) -> AsyncOrganizations:
        """Organization management."""
        from .organizations import AsyncOrganizations

        return AsyncOrganizations(self)

    @cached_property
    def sessions(self) -> AsyncSessions:
        """Session management."""
        from .sessions import AsyncSessions

        return AsyncSessions(self)

    @accepts_request_options
    async def run(
        self, op: Operation[T], *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> T:
        """Send one operation through the runtime (retries, errors) and parse its answer."""
        return parse_answer(op, await self._http.request(op.call))

    @accepts_request_options
    async def get_jwks(
        self, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> JWKS:
        """The JSON Web Key Set Vault signs access tokens with."""
        from . import operations as ops

        return await self.run(ops.jwks_get())

    @accepts_request_options
    async def health_check(
        self, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> dict[str, Any]:
        """Vault's health endpoint, as returned."""
        from . import operations as ops

        return await self.run(ops.health())

    async def aclose(self) -> None:
        """Release the connection pool (unless it was passed in)."""
        await self._http.aclose()

    async def close(self) -> None:
        """The same as `aclose()`: `await vault.close()`."""
        await self.aclose()
