"""django-redis on a Redis Cluster: a connection factory whose connections are `RedisCluster` clients.

django-redis itself has no cluster support (jazzband/django-redis#606). Its `DefaultClient` sends single-key
commands, which a `RedisCluster` client routes to the node owning the key's slot; `redis_caches(cluster=True)`
selects this factory. Multi-key calls (`get_many`, `delete_many` across slots, `keys`, `delete_pattern`,
`clear`) are not supported on a cluster and raise.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django_redis.pool import ConnectionFactory
from redis.cluster import RedisCluster


class ClusterConnectionFactory(ConnectionFactory):  # type: ignore[misc]
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
