"""What every HTTP integration client (Loops, Stripe, Twilio) shares: configuration, debug mode, and the result loop.

A client method builds a `ServiceCall` once (arguments checked, request built by the generated client, the debug
preview and the simulated answer beside it); `SyncServiceClient._run` and `AsyncServiceClient._run` only carry it
out, so the two twins differ in nothing but `await`. Requests go through `sdk_runtime` (retries, timeouts,
Idempotency-Key, request IDs); whatever goes wrong becomes a failure dict from `app_integrations.results`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from sdk_runtime import (
    AsyncAPIClient,
    AuthScheme,
    ClientConfig,
    ConfigurationError,
    SyncAPIClient,
)
from sdk_runtime.call_proxies import CallViews
from sdk_runtime.config import validate_base_url
from sdk_runtime.lifecycle import AsyncClosingContext, ClosingContext
from sdk_runtime.values import evolved, fill, frozen_value

from ._version import __version__
from .results import (
    INVALID_ARGUMENT,
    NOT_CONFIGURED,
    Failure,
    InvalidArgument,
    failure,
    failure_from_error,
    log_failure,
)
from .settings import SIMULATE, Refusal, decide, text

if TYPE_CHECKING:
    import httpx

    from sdk_runtime import Operation  # the HTTP stack is imported on the first request, not with the clients

R = TypeVar("R")
SDK_NAME = "app-integrations"
# `APP_INTEGRATIONS_LOG=debug` (or `info`) logs every request of the Loops, Stripe and Twilio clients to stderr.
LOG_ENV = "APP_INTEGRATIONS_LOG"


@frozen_value
class ServiceSpec:
    """The facts of one upstream service that its client needs.

    Attributes:
        name: How messages name the service (`Loops`).
        api_key_setting: The setting / environment variable holding the credential (`LOOPS_API_KEY`).
        base_url_setting: The setting that points the client elsewhere, at a sandbox say (`LOOPS_BASE_URL`).
        enabled_setting: The setting that switches the service off (`LOOPS_ENABLED`).
        default_base_url: The production API root.
        auth: How the credential travels.
        logger_name: The stdlib logger of the service (`app_integrations.loops`).
        servers: The service's other API roots by name, each `(base-url setting, production URL)` (Twilio's
            `lookups`); a client pointed elsewhere by `base_url_setting` sends there too unless told otherwise.
        retry_statuses: Statuses this service also retries (Stripe's 409).
        should_retry_header: The answer header that overrides retry decisions (`Stripe-Should-Retry`).
        failure_keys: Extra keys of a failure dict, read from it (Stripe's `decline_code`).
    """

    __slots__ = (
        "api_key_setting",
        "auth",
        "base_url_setting",
        "default_base_url",
        "enabled_setting",
        "failure_keys",
        "logger_name",
        "name",
        "retry_statuses",
        "servers",
        "should_retry_header",
    )
    name: str
    api_key_setting: str
    base_url_setting: str
    enabled_setting: str
    default_base_url: str
    logger_name: str
    auth: AuthScheme
    servers: Mapping[str, tuple[str, str]]
    retry_statuses: frozenset[int]
    should_retry_header: str | None
    failure_keys: Callable[[Failure], Mapping[str, Any]] | None

    def __init__(
        self,
        name: str,
        api_key_setting: str,
        base_url_setting: str,
        enabled_setting: str,
        default_base_url: str,
        logger_name: str,
        auth: AuthScheme | None = None,
        servers: Mapping[str, tuple[str, str]] | None = None,
        retry_statuses: frozenset[int] = frozenset(),
        should_retry_header: str | None = None,
        failure_keys: Callable[[Failure], Mapping[str, Any]] | None = None,
    ) -> None:
        fill(
            self, name=name, api_key_setting=api_key_setting, base_url_setting=base_url_setting,
            enabled_setting=enabled_setting, default_base_url=default_base_url, logger_name=logger_name,
            auth=AuthScheme() if auth is None else auth, servers={} if servers is None else servers,
            retry_statuses=retry_statuses, should_retry_header=should_retry_header, failure_keys=failure_keys,
        )  # fmt: skip


@frozen_value
class ServiceCall(Generic[R]):
    """One method call, decided before anything is sent.

    Attributes:
        name: The method's name, for logs.
        operation: The request and how its answer becomes the method's result.
        preview: What debug mode logs instead of sending (never a credential or token).
        simulated: The result debug mode returns (`simulated: True` is added).
        codes: This call's own `code` for some HTTP statuses (Loops' 409 is a reused idempotency key).
        recover: Given the failure, the result to return instead, or None to keep the failure (a 409 answering
            the retry of a send whose first attempt went through is a success, not a failure).
        server: Which of `ServiceSpec.servers` the call goes to; None for the main API root.
    """

    __slots__ = ("codes", "name", "operation", "preview", "recover", "server", "simulated")
    name: str
    operation: Operation[R]
    preview: Mapping[str, Any]
    simulated: Mapping[str, Any]
    codes: Mapping[int, str]
    recover: Callable[[Failure], Mapping[str, Any] | None] | None
    server: str | None

    def __init__(
        self,
        name: str,
        operation: Operation[R],
        preview: Mapping[str, Any],
        simulated: Mapping[str, Any],
        codes: Mapping[int, str] | None = None,
        recover: Callable[[Failure], Mapping[str, Any] | None] | None = None,
        server: str | None = None,
    ) -> None:
        fill(
            self, name=name, operation=operation, preview=preview, simulated=simulated,
            codes={} if codes is None else codes, recover=recover, server=server,
        )  # fmt: skip


class _ServiceClient(CallViews):
    """Configuration and the decisions the sync and async clients share."""

    spec: ClassVar[ServiceSpec]
    _http: Any
    refuses_options_in_results = True  # refused per-call options are the call's failure result, never raised

    def _setup(
        self,
        *,
        api_key: str | None,
        debug_mode: bool | None,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        retry_delay: float,
        request_id: str | None,
        http_client: Any,
        server_urls: Mapping[str, str | None] | None = None,
        missing: list[str] | None = None,
    ) -> None:
        """Read settings, decide by `app_integrations.settings.decide`, and open the runtime client if sending.

        `missing` overrides which settings are still needed (Twilio's, where the key alone does not say).
        """
        spec = self.spec
        self.logger: logging.Logger = logging.getLogger(spec.logger_name)
        key = text(spec.api_key_setting, api_key)
        pointed = text(spec.base_url_setting, base_url)
        needed = ([] if key else [spec.api_key_setting]) if missing is None else missing
        decision = decide(
            spec.name,
            debug_mode=debug_mode,
            enabled_setting=spec.enabled_setting,
            missing=needed,
            base_url=pointed,
        )
        self.debug_mode: bool = decision == SIMULATE
        self._problem: Failure | None = (
            failure(decision.message, decision.code) if isinstance(decision, Refusal) else None
        )
        self._config: ClientConfig | None = None
        self._http = None
        self._server_urls = {
            name: text(setting, (server_urls or {}).get(name)) or pointed or default
            for name, (setting, default) in spec.servers.items()
        }
        self._server_clients: dict[str, Any] = {}
        if not key or needed:
            return
        try:
            self._config = ClientConfig.create(
                api_key=key,
                api_key_env=spec.api_key_setting,
                base_url=pointed or spec.default_base_url,
                sdk_name=SDK_NAME,
                sdk_version=__version__,
                timeout=timeout,
                max_retries=max_retries,
                retry_delay=retry_delay,
                request_id=request_id,
                auth=spec.auth,
                logger_name=spec.logger_name,
                log_env=LOG_ENV,
            )
            self._server_urls = {name: validate_base_url(url) for name, url in self._server_urls.items()}
        except ConfigurationError as exc:
            self._config = None
            if self._problem is None:
                self._problem = failure(f"{spec.name} is misconfigured: {exc.message}", NOT_CONFIGURED)
            return
        if spec.retry_statuses or spec.should_retry_header:
            retry = evolved(
                self._config.retry,
                extra_retryable_statuses=spec.retry_statuses,
                should_retry_header=(spec.should_retry_header or self._config.retry.should_retry_header).lower(),
            )
            self._config = evolved(self._config, retry=retry)
        self._http = self._open(self._config, http_client)

    def _open(self, config: ClientConfig, http_client: Any) -> Any:
        """The runtime client of this twin (sync or async)."""
        raise NotImplementedError

    @property
    def configured(self) -> bool:
        """Whether the client has what it needs to send for real."""
        return self._config is not None

    @property
    def base_url(self) -> str | None:
        """Where requests go (None when not configured)."""
        return self._config.base_url if self._config else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, debug_mode={self.debug_mode!r})"

    def _prepare(self, name: str, build: Callable[[], ServiceCall[R]]) -> ServiceCall[R] | R:
        """The call to send, or the finished result (bad arguments, debug mode, not configured)."""
        try:
            call = build()
            from sdk_runtime.request_options import active_options  # with the first call, not at import

            active_options()  # refused per-call options fail the call, in debug mode too
        except InvalidArgument as exc:
            return cast(R, self._failed(name, failure(exc.message, exc.code)))
        except ConfigurationError as exc:
            return cast(R, self._failed(name, failure(f"invalid request options: {exc.message}", INVALID_ARGUMENT)))
        if self.debug_mode:
            self.logger.info("[DEBUG] %s %s not sent (debug mode): %s", self.spec.name, call.name, dict(call.preview))
            return cast(R, {"success": True, "simulated": True, **call.simulated})
        if self._problem is not None:
            return cast(R, self._failed(call.name, self._problem))
        return call

    def _client_for(self, call: ServiceCall[Any], main: Any) -> Any:
        """The runtime client that sends `call`: `main`, or a copy sharing its pool for another server."""
        if call.server is None:
            return main
        client = self._server_clients.get(call.server)
        if client is None:
            # Threads racing here may each make a copy; `setdefault` keeps one (copies borrow the pool: no leak).
            client = self._server_clients.setdefault(
                call.server, main.with_options(base_url=self._server_urls[call.server])
            )
        return client

    def _failed(self, operation: str, result: Failure) -> Failure:
        log_failure(self.logger, self.spec.name, operation, result)
        return result

    def _outcome(self, call: ServiceCall[R], exc: Exception) -> R:
        """The result for a call that raised: recovered by the call, else the failure dict (logged once)."""
        result = failure_from_error(exc, call.codes)
        if self.spec.failure_keys is not None:
            result = cast(Failure, {**result, **self.spec.failure_keys(result)})
        recovered = call.recover(result) if call.recover is not None else None
        if recovered is not None:
            return cast(R, recovered)
        return cast(R, self._failed(call.name, result))


class SyncServiceClient(_ServiceClient, ClosingContext):
    """Blocking client: methods return result dicts. `with Client() as c:` closes its connection pool."""

    def _open(self, config: ClientConfig, http_client: httpx.Client | None) -> SyncAPIClient:
        return SyncAPIClient(config, http_client=http_client)

    def _run(self, name: str, build: Callable[[], ServiceCall[R]]) -> R:
        prepared = self._prepare(name, build)
        if not isinstance(prepared, ServiceCall):
            return prepared
        call: ServiceCall[R] = prepared
        assert self._http is not None  # _prepare returned a call, so the client is configured
        http: SyncAPIClient = self._client_for(call, self._http)
        try:
            return call.operation.answer(http.request(call.operation.call), http.engine.errors)
        except Exception as exc:  # the contract: a failure dict, never an exception
            return self._outcome(call, exc)

    def close(self) -> None:
        """Release the connection pool (if this client created it)."""
        for copy in self._server_clients.values():
            copy.close()  # borrowed the pool: only marks the copy closed
        if self._http is not None:
            self._http.close()


class AsyncServiceClient(_ServiceClient, AsyncClosingContext):
    """The asyncio twin: the same methods, awaitable. `async with Client() as c:` closes its pool."""

    def _open(self, config: ClientConfig, http_client: httpx.AsyncClient | None) -> AsyncAPIClient:
        return AsyncAPIClient(config, http_client=http_client)

    async def _run(self, name: str, build: Callable[[], ServiceCall[R]]) -> R:
        prepared = self._prepare(name, build)
        if not isinstance(prepared, ServiceCall):
            return prepared
        call: ServiceCall[R] = prepared
        assert self._http is not None
        http: AsyncAPIClient = self._client_for(call, self._http)
        try:
            response = await http.request(call.operation.call)
            return call.operation.answer(response, http.engine.errors)
        except Exception as exc:  # the contract: a failure dict, never an exception
            return self._outcome(call, exc)

    async def aclose(self) -> None:
        """Release the connection pool (if this client created it)."""
        for copy in self._server_clients.values():
            await copy.aclose()  # borrowed the pool: only marks the copy closed
        if self._http is not None:
            await self._http.aclose()


__all__ = [
    "AsyncServiceClient",
    "ServiceCall",
    "ServiceSpec",
    "SyncServiceClient",
]
