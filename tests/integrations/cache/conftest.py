"""Real Redis for the cache tests: a private server and a 3-master cluster, each started once per session.

`REDIS_URL` in the environment points the single-server tests at another server instead (keys are unique per
test and nothing is flushed there); the outage and cluster tests always use private servers. Without a
`redis-server` binary the tests skip with how to install one, except under `CI=true`, where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from app_integrations.cache.local_server import INSTALL_HINT
from app_integrations.cache.local_server import redis_server_binary as server_binary

from .redis_servers import RedisServer, running_cluster, running_server


@pytest.fixture(scope="session")
def redis_binary() -> str:
    """The `redis-server` binary; skip (or fail under CI) without one."""
    binary = server_binary()
    if binary is None:
        message = f"redis-server not found: {INSTALL_HINT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return binary


@pytest.fixture(scope="session")
def private_redis(redis_binary: str) -> Iterator[RedisServer]:
    """One private server for the session."""
    with running_server(redis_binary) as server:
        yield server


@pytest.fixture(scope="session")
def redis_url(request: pytest.FixtureRequest) -> str:
    """`REDIS_URL` when the user set one, else the private server's URL."""
    configured = os.environ.get("REDIS_URL")
    if configured:
        return configured
    server: RedisServer = request.getfixturevalue("private_redis")
    return server.url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A plain client of the test server."""
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def unique() -> str:
    """A key prefix no other test uses (the server is shared and never flushed)."""
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture
def disposable_redis(redis_binary: str) -> Iterator[RedisServer]:
    """A server of this test's own, to kill and restart."""
    with running_server(redis_binary) as server:
        yield server


@pytest.fixture(scope="session")
def redis_cluster(redis_binary: str) -> Iterator[list[RedisServer]]:
    """A 3-master Redis Cluster on loopback for the session."""
    with running_cluster(redis_binary) as nodes:
        yield nodes


@pytest.fixture
def cluster_client(redis_cluster: list[RedisServer]) -> Iterator[Any]:
    """A RedisCluster client of the test cluster."""
    from redis.cluster import RedisCluster

    client = RedisCluster(host="127.0.0.1", port=redis_cluster[0].port)
    yield client
    client.close()


@pytest.fixture
def redis_django(django_db: Path, redis_url: str) -> Iterator[Any]:
    """The example project's settings with `CACHES = redis_caches(<test server>)` and this folder's URLconf.

    Yields `override(**settings)`, which layers more settings for the rest of the test.
    """
    from django.test import override_settings

    from app_integrations.cache import redis_caches

    active = [
        override_settings(
            CACHES=redis_caches(redis_url), ROOT_URLCONF="tests.integrations.cache.redis_urls", MIDDLEWARE=[]
        )
    ]
    active[0].enable()

    def override(**settings: Any) -> None:
        layer = override_settings(**settings)
        layer.enable()
        active.append(layer)

    yield override
    for layer in reversed(active):
        layer.disable()
