"""The integrations guide's cache settings pattern as one call: `CACHES = redis_caches()` in a settings module.

`REDIS_URL` set gives django-redis with the connection choices of `client.ConnectionOptions` (timeouts, a few
jittered retries, health checks, a blocking pool), stated explicitly because redis-py 8 and django-redis give
`from_url` pools no retries and a pool that raises when full. `REDIS_URL` unset gives the guide's in-memory
fallback, with a warning at start-up unless `DEBUG` is on: each process then counts rate limits and keeps
sessions on its own, which a production deployment must not do unknowingly.

`REDIS_CLUSTER=true` (or `cluster=True`) points django-redis at a Redis Cluster through
`ClusterConnectionFactory`; the cache operations the integrations guide uses (`get`, `set`, `delete`, `has_key`, `incr`,
`cache_page`, template fragments) are single-key and work there.
"""

from __future__ import annotations

import logging
from typing import Any

from ..settings import flag, text
from .client import DEFAULT_OPTIONS, ConnectionOptions

logger: logging.Logger = logging.getLogger(__name__)

LOCMEM_FALLBACK = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "unique-snowflake"}


def redis_caches(
    url: str | None = None,
    *,
    debug: bool | None = None,
    cluster: bool | None = None,
    ignore_exceptions: bool = False,
    key_prefix: str = "",
    options: ConnectionOptions = DEFAULT_OPTIONS,
) -> dict[str, dict[str, Any]]:
    """The `CACHES` setting: django-redis on `url` (default `REDIS_URL`), else the in-memory fallback.

    `debug` (default: the `DEBUG` setting or environment variable) silences the fallback's warning.
    `ignore_exceptions` makes cache reads miss and writes no-op while Redis is down (django-redis
    `IGNORE_EXCEPTIONS`, logged); leave it off if a cache miss is not safe for your code, and turn it on
    with `cached_db` sessions so an outage does not log everyone out.
    """
    location = text("REDIS_URL", url)
    if not location:
        if not flag("DEBUG", debug):
            logger.warning(
                "REDIS_URL is not set: using the per-process in-memory cache; rate limits and cached sessions "
                "are not shared between processes. Set REDIS_URL in production."
            )
        return {"default": dict(LOCMEM_FALLBACK)}
    pool_kwargs: dict[str, Any] = {
        "max_connections": options.max_connections,
        "retry": options.retry(),
        "health_check_interval": options.health_check_interval,
    }
    cache_options: dict[str, Any] = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        "SOCKET_CONNECT_TIMEOUT": options.connect_timeout,
        "SOCKET_TIMEOUT": options.socket_timeout,
        "CONNECTION_POOL_KWARGS": pool_kwargs,
        "IGNORE_EXCEPTIONS": ignore_exceptions,
    }
    if flag("REDIS_CLUSTER", cluster):
        cache_options["CONNECTION_FACTORY"] = "app_integrations.cache.cluster.ClusterConnectionFactory"
    else:
        cache_options["CONNECTION_POOL_CLASS"] = "redis.BlockingConnectionPool"
        pool_kwargs["timeout"] = options.pool_timeout
    default: dict[str, Any] = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": location}
    default["OPTIONS"] = cache_options
    if key_prefix:
        default["KEY_PREFIX"] = key_prefix
    return {"default": default}
