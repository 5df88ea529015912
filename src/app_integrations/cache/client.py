"""The Redis client options chosen explicitly, once: redis-py 8's defaults are wrong for a request path.

redis-py 8 gives `Redis(host=...)` ten retries (a dead server stalls each command about 4 s) but
`Redis.from_url(...)` and django-redis none at all, 5 s socket timeouts, and a 100-connection pool that raises
`MaxConnectionsError` when full instead of waiting. Here every client gets the same, stated choice: short
timeouts, a few quick jittered retries, a health check on idle connections, and a blocking pool that waits
briefly for a free connection. Both this module's clients and `redis_caches()` (django-redis) use them.
"""

from __future__ import annotations

from typing import Any

import attrs
import redis
import redis.asyncio
import redis.asyncio.cluster
from redis.backoff import ExponentialWithJitterBackoff
from redis.cluster import RedisCluster
from redis.retry import Retry

from ..settings import django_setting, flag, text

#: Any client this package talks to: one server or a cluster.
RedisClient = redis.Redis | RedisCluster
#: The same for asyncio code.
AsyncRedisClient = redis.asyncio.Redis | redis.asyncio.cluster.RedisCluster


@attrs.frozen
class ConnectionOptions:
    """Timeouts, retries and pool size of every connection; the defaults suit a web request's budget.

    `socket_timeout` / `connect_timeout` are seconds per command / per connect; `retries` the extra attempts on a
    connection error or timeout, with jittered exponential backoff from `backoff_base` up to `backoff_cap`
    seconds; `max_connections` the pool size per process (per node on a cluster); `pool_timeout` how long a
    caller waits for a free connection before the pool raises; `health_check_interval` the idle seconds after
    which a connection is PINGed before use.
    """

    socket_timeout: float = 0.5
    connect_timeout: float = 0.5
    retries: int = 2
    backoff_base: float = 0.01
    backoff_cap: float = 0.1
    max_connections: int = 50
    pool_timeout: float = 0.5
    health_check_interval: int = 30

    def retry(self) -> Retry:
        """The retry policy object redis-py takes."""
        return Retry(ExponentialWithJitterBackoff(base=self.backoff_base, cap=self.backoff_cap), self.retries)

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `Redis(...)` / `RedisCluster(...)` and their `from_url`."""
        return {
            "socket_timeout": self.socket_timeout,
            "socket_connect_timeout": self.connect_timeout,
            "retry": self.retry(),
            "health_check_interval": self.health_check_interval,
            "max_connections": self.max_connections,
        }


DEFAULT_OPTIONS = ConnectionOptions()


def redis_client(
    url: str | None = None, *, cluster: bool | None = None, options: ConnectionOptions = DEFAULT_OPTIONS
) -> RedisClient:
    """A client of `url` (default: the `REDIS_URL` setting) with `options`; a `RedisCluster` when `cluster`.

    `cluster` defaults to the `REDIS_CLUSTER` setting. A single server gets a `BlockingConnectionPool`, so a
    burst beyond `max_connections` waits up to `pool_timeout` instead of failing at once.
    """
    location = _location(url)
    kwargs = options.client_kwargs()
    if flag("REDIS_CLUSTER", cluster):
        return RedisCluster.from_url(location, **kwargs)
    pool = redis.BlockingConnectionPool.from_url(location, timeout=options.pool_timeout, **kwargs)
    return redis.Redis(connection_pool=pool)


def async_redis_client(
    url: str | None = None, *, cluster: bool | None = None, options: ConnectionOptions = DEFAULT_OPTIONS
) -> AsyncRedisClient:
    """`redis_client`'s asyncio twin: a `redis.asyncio` client with the same options; create it in its loop."""
    location = _location(url)
    kwargs = options.client_kwargs()
    if flag("REDIS_CLUSTER", cluster):
        return redis.asyncio.cluster.RedisCluster.from_url(location, **kwargs)
    pool = redis.asyncio.BlockingConnectionPool.from_url(location, timeout=options.pool_timeout, **kwargs)
    return redis.asyncio.Redis(connection_pool=pool)


def _location(url: str | None) -> str:
    location = text("REDIS_URL", url)
    if not location:
        raise ValueError("no Redis URL: pass one or set REDIS_URL")
    return location


def configured_client() -> RedisClient | None:
    """The client of the configured cache, else one of `REDIS_URL`, else None (no Redis configured).

    The cache alias is the `RATE_LIMIT_CACHE` setting (default `"default"`); a django-redis cache gives its own
    connection (`django_redis.get_redis_connection`), so the limiter shares the cache's pool and options.

    Resolved once per process (redis-py clients are thread-safe and reconnect after a fork), and again after a
    `setting_changed` signal (tests' `override_settings`).
    """
    try:
        return _RESOLVED["client"]
    except KeyError:
        pass
    client = _resolve_client()
    _RESOLVED["client"] = client
    return client


def _resolve_client() -> RedisClient | None:
    caches_setting = django_setting("CACHES")
    if isinstance(caches_setting, dict):
        from django.core.signals import setting_changed

        setting_changed.connect(_forget_client, dispatch_uid=__name__)
        alias = text("RATE_LIMIT_CACHE", None, "default")
        backend = str(caches_setting.get(alias, {}).get("BACKEND", ""))
        if backend.startswith("django_redis."):
            from django_redis import get_redis_connection

            connection: RedisClient = get_redis_connection(alias)
            return connection
    url = text("REDIS_URL")
    return _url_client(url) if url else None


def _forget_client(**kwargs: Any) -> None:
    _RESOLVED.clear()


_RESOLVED: dict[str, RedisClient | None] = {}
_URL_CLIENTS: dict[str, RedisClient] = {}


def _url_client(url: str) -> RedisClient:
    if url not in _URL_CLIENTS:
        _URL_CLIENTS[url] = redis_client(url)
    return _URL_CLIENTS[url]
