"""django-redis on a Redis Cluster: a connection factory whose connections are `RedisCluster` clients.

django-redis itself has no cluster support (jazzband/django-redis#606). Its `DefaultClient` sends single-key
commands, which a `RedisCluster` client routes to the node owning the key's slot; `redis_caches(cluster=True)`
selects this factory. Multi-key calls (`get_many`, `delete_many` across slots, `keys`, `delete_pattern`,
`clear`) are not supported on a cluster and raise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from redis.cluster import RedisCluster

if TYPE_CHECKING:
    from redis import ConnectionPool, Redis

    class ConnectionFactory:
        """django-redis's `ConnectionFactory` as its own annotations declare it (without its parser hook): django-redis
        ships no `py.typed` marker, so type checkers would otherwise see an unknown base class."""

        pool_cls: type[ConnectionPool]
        pool_cls_kwargs: dict[str, Any]
        redis_client_cls: type[Redis]
        redis_client_cls_kwargs: dict[str, Any]
        options: dict[str, Any]

        def __init__(self, options: dict[str, Any]) -> None: ...
        def make_connection_params(self, url: str) -> dict[str, Any]:
            """The connection keyword arguments for `url` (the cache's options merged in)."""

        def connect(self, url: str) -> Redis:
            """A client for `url`, from the pool of its parameters."""

        def disconnect(self, connection: Redis) -> None:
            """Close `connection`'s pooled connections."""

        def get_connection(self, params: dict[str, Any]) -> Redis:
            """A client for connection `params`."""

        def get_or_create_connection_pool(self, params: dict[str, Any]) -> ConnectionPool:
            """The process's pool for `params` (created on first use)."""

        def get_connection_pool(self, params: dict[str, Any]) -> ConnectionPool:
            """A new connection pool for `params`."""

else:
    from django_redis.pool import ConnectionFactory


class ClusterConnectionFactory(ConnectionFactory):
    """One `RedisCluster` client per LOCATION URL and process, with the cache's timeouts and pool options."""

    _clusters: ClassVar[dict[str, RedisCluster]] = {}

    def get_connection(self, params: dict[str, Any]) -> Any:
        """The process's cluster client for `params["url"]` (created on first use)."""
        url = params["url"]
        if url not in self._clusters:
            kwargs = {key: value for key, value in params.items() if key not in ("url", "parser_class")}
            kwargs.update(self.pool_cls_kwargs)
            self._clusters[url] = RedisCluster.from_url(url, **kwargs)
        return self._clusters[url]

    def disconnect(self, connection: Any) -> None:
        """Close the cluster client's connections to every node."""
        connection.close()
