"""The sync and async API clients every facade builds on: they own (or borrow) an httpx client and run the engine."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

from .config import ClientConfig
from .errors import SDKError
from .lifecycle import AsyncClosingContext, ClosingContext
from .pool import LazyPool, LoopBoundPool

# The request loop (and what it needs: retries, error mapping, logging) is imported with the first request, so that
# constructing a client stays cheap for a CLI or a serverless function that may never send one.
if TYPE_CHECKING:
    import httpx

    from .call import APIResponse, Call
    from .engine import ErrorFactory, RequestBuilder, RequestEngine

# Connection limits of a pool we make: at most 100 connections, 20 of them kept alive between requests.
MAX_CONNECTIONS = 100
MAX_KEEPALIVE_CONNECTIONS = 20


def _pool_options(config: ClientConfig) -> dict[str, Any]:
    """The keyword arguments of the HTTP client a pool is made of (the HTTP stack is imported here, on first use)."""
    import httpx

    return {
        "timeout": httpx.Timeout(**config.timeout.as_dict()),
        "limits": httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_KEEPALIVE_CONNECTIONS),
        "follow_redirects": False,
    }


class ClientClosedError(SDKError, RuntimeError):
    """A request was made on a client after `close()` (or after its `with` block ended)."""


class _BaseAPIClient:
    """What the sync and async clients share: configuration, the engine, and ownership of the HTTP client."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        errors: ErrorFactory | None = None,
        http_client: Any = None,
    ) -> None:
        self._config = config
        self._errors = errors
        self._engine: RequestEngine | None = None
        if config.log_env and os.environ.get(config.log_env, "").strip():
            self._engine = self._new_engine()  # the log switch (`VAULT_LOG=debug`) acts at construction
        # Either the caller's HTTP client (used as is, never closed by us) or a pool we make on first use. A
        # with_options copy is handed our pool holder, so it shares the pool and never closes it.
        self._given_http = http_client
        self._pool: LazyPool[Any] | None = self._new_pool() if http_client is None else None
        self._owns_http = http_client is None
        # A pool we created (also when a with_options copy borrows it) has no caller defaults to merge.
        self._pool_is_ours = http_client is None
        self._closed = False

    @property
    def config(self) -> ClientConfig:
        """This client's (immutable) configuration."""
        return self._config

    @property
    def engine(self) -> RequestEngine:
        """The request logic of this client (retries, headers, error mapping), made on first use."""
        engine = self._engine
        if engine is None:
            engine = self._engine = self._new_engine()
        return engine

    def _new_engine(self) -> RequestEngine:
        from .engine import RequestEngine

        return RequestEngine(self._config, self._errors)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.config.base_url!r}, api_key={self.config.api_key!r})"

    def _copy(self, changes: dict[str, Any], http_client: Any) -> Self:
        # The copy borrows the pool (so closing it leaves ours open) and keeps our sleep (tests replace it).
        borrowed = http_client if http_client is not None else self._given_http
        clone = type(self)(self.config.replace(**changes), errors=self._errors, http_client=borrowed)
        if borrowed is None:
            clone._pool, clone._owns_http = self._pool, False
        clone._sleep = self._sleep  # type: ignore[attr-defined]
        return clone

    def _builder(self, http: Any) -> RequestBuilder:
        from .engine import build_request_directly
        from .http_stacks import request_builder

        builder: RequestBuilder = build_request_directly if self._pool_is_ours else request_builder(http)
        return builder

    def _new_pool(self) -> LazyPool[Any]:
        raise NotImplementedError

    def _current_http(self) -> Any:
        if self._given_http is not None:
            return self._given_http
        assert self._pool is not None  # set whenever no client was given
        return self._pool.get()

    def _check_open(self) -> None:
        if self._closed or (self._pool is not None and self._pool.closed):
            raise ClientClosedError("this client is closed; create a new one")


class SyncAPIClient(_BaseAPIClient, ClosingContext):
    """Sends calls with blocking I/O.

    Args:
        config: The validated configuration.
        errors: Maps failures to the SDK's own exception classes (the runtime's defaults when None).
        http_client: An `httpx.Client` to send through. A client passed in is never closed by us; when None we
            create one on first use (keep-alive pool, no redirects) and close it in `close()`.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        errors: ErrorFactory | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(config, errors=errors, http_client=http_client)
        self._sleep: Callable[[float], None] = time.sleep

    @property
    def http_client(self) -> httpx.Client:
        """The `httpx.Client` in use (created lazily, once even when threads share this client)."""
        client: httpx.Client = self._current_http()
        return client

    def _new_pool(self) -> LazyPool[httpx.Client]:
        config = self.config

        def make() -> httpx.Client:
            import httpx

            return httpx.Client(**_pool_options(config))

        return LazyPool(make)

    def request(self, call: Call) -> APIResponse:
        """Send `call` with retries; return the answer or raise the SDK's error."""
        from .engine import run_sync
        from .raw_response import active_recorder
        from .request_options import active_options

        self._check_open()
        http = self.http_client
        flow = self.engine.flow(call, self._builder(http), options=active_options(), recorder=active_recorder())
        return run_sync(flow, http.send, self._sleep)

    def with_options(self, *, http_client: httpx.Client | None = None, **changes: Any) -> Self:
        """A client sharing this one's connection pool, with some options changed (`timeout`, `max_retries`, ...)."""
        self._check_open()
        return self._copy(changes, http_client)

    def close(self) -> None:
        """Release the connection pool, if this client created it. Safe to call twice."""
        self._closed = True
        if self._owns_http and self._pool is not None:
            pool = self._pool.take()
            if pool is not None:
                pool.close()


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio  # here, not at import or construction: a client built but used only synchronously never loads it

    await asyncio.sleep(seconds)


class AsyncAPIClient(_BaseAPIClient, AsyncClosingContext):
    """Sends calls on the running event loop; the same behaviour as `SyncAPIClient`, awaitable.

    Args:
        config: The validated configuration.
        errors: Maps failures to the SDK's own exception classes (the runtime's defaults when None).
        http_client: An `httpx.AsyncClient` to send through; never closed by us when passed in.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        errors: ErrorFactory | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(config, errors=errors, http_client=http_client)
        self._sleep: Callable[[float], Any] = _asyncio_sleep

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The `httpx.AsyncClient` in use: created lazily, and anew when the running event loop is another one."""
        client: httpx.AsyncClient = self._current_http()
        return client

    def _new_pool(self) -> LoopBoundPool[httpx.AsyncClient]:
        config = self.config

        def make() -> httpx.AsyncClient:
            import httpx

            return httpx.AsyncClient(**_pool_options(config))

        return LoopBoundPool(make)

    async def request(self, call: Call) -> APIResponse:
        """Send `call` with retries; return the answer or raise the SDK's error."""
        from .engine import run_async
        from .raw_response import active_recorder
        from .request_options import active_options

        self._check_open()
        http = self.http_client
        flow = self.engine.flow(call, self._builder(http), options=active_options(), recorder=active_recorder())
        return await run_async(flow, http.send, self._sleep)

    def with_options(self, *, http_client: httpx.AsyncClient | None = None, **changes: Any) -> Self:
        """A client sharing this one's connection pool, with some options changed."""
        self._check_open()
        return self._copy(changes, http_client)

    async def aclose(self) -> None:
        """Release the connection pool, if this client created it. Safe to call twice."""
        self._closed = True
        if self._owns_http and self._pool is not None:
            pool = self._pool.take()
            if pool is not None:
                await pool.aclose()
