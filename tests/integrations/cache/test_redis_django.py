"""Seed 002's Redis examples as written, on `CACHES = redis_caches(...)` against a real Redis and a real cluster.

Also: sessions on the cache (and why `cached_db`), and the seed's get-then-incr `rate_limit` beside ours under
the same concurrency.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from app_integrations.cache import rate_limit, redis_caches

from .hammer import hammer


def test_redis_url_gives_django_redis_with_explicit_connection_choices() -> None:
    caches = redis_caches("redis://cache.internal:6379/0")
    default = caches["default"]
    assert default["BACKEND"] == "django_redis.cache.RedisCache"
    assert default["LOCATION"] == "redis://cache.internal:6379/0"
    options = default["OPTIONS"]
    assert options["SOCKET_TIMEOUT"] == 0.5 and options["SOCKET_CONNECT_TIMEOUT"] == 0.5
    assert options["CONNECTION_POOL_CLASS"] == "redis.BlockingConnectionPool"
    pool = options["CONNECTION_POOL_KWARGS"]
    assert pool["max_connections"] == 50 and pool["timeout"] == 0.5 and pool["health_check_interval"] == 30
    assert pool["retry"].get_retries() == 2
    assert options["IGNORE_EXCEPTIONS"] is False


def test_the_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://from-env:6379/1")
    assert redis_caches()["default"]["LOCATION"] == "redis://from-env:6379/1"


def test_no_url_gives_the_seeds_in_memory_fallback_and_warns_outside_debug(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    with caplog.at_level(logging.WARNING, logger="app_integrations.cache.config"):
        caches = redis_caches(debug=False)
        assert caches == {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "unique-snowflake"}
        }
        assert "REDIS_URL is not set" in caplog.text
        caplog.clear()
        redis_caches(debug=True)
        assert caplog.text == ""


def test_cluster_caches_use_the_cluster_connection_factory() -> None:
    options = redis_caches("redis://node-1:7000/0", cluster=True)["default"]["OPTIONS"]
    assert options["CONNECTION_FACTORY"] == "app_integrations.cache.cluster.ClusterConnectionFactory"
    assert "CONNECTION_POOL_CLASS" not in options


def compute_expensive_operation(user_id: int) -> dict[str, Any]:
    compute_expensive_operation.calls += 1  # type: ignore[attr-defined]
    return {"user": user_id}


compute_expensive_operation.calls = 0  # type: ignore[attr-defined]


def seed_cache_examples(unique: str) -> None:
    """Seed 002's "Basic Caching" and "Caching Expensive Queries", as written (keys made unique per test)."""
    from django.core.cache import cache

    # Set a cache value
    cache.set(f"{unique}my_key", "my_value", timeout=300)  # 5 minutes

    # Get a cache value
    value = cache.get(f"{unique}my_key")
    assert value == "my_value"

    # Get with default if not found
    value = cache.get(f"{unique}other_key", default="default_value")
    assert value == "default_value"

    # Check if key exists
    if cache.has_key(f"{unique}my_key"):
        value = cache.get(f"{unique}my_key")
    assert value == "my_value"

    # Delete a cache value
    cache.delete(f"{unique}my_key")
    assert not cache.has_key(f"{unique}my_key")

    def get_expensive_data(user_id):
        cache_key = f"{unique}expensive_data:{user_id}"

        # Try to get from cache
        data = cache.get(cache_key)

        if data is None:
            # Cache miss - compute the data
            data = compute_expensive_operation(user_id)

            # Store in cache for 1 hour
            cache.set(cache_key, data, timeout=3600)

        return data

    before = compute_expensive_operation.calls  # type: ignore[attr-defined]
    assert get_expensive_data(7) == get_expensive_data(7) == {"user": 7}
    assert compute_expensive_operation.calls == before + 1  # type: ignore[attr-defined]

    # Cache Key Naming
    cache.set(f"{unique}user:{7}:profile", {"name": "Ada"})
    assert cache.get(f"{unique}user:{7}:profile") == {"name": "Ada"}
    cache.set(f"{unique}counter", 1, timeout=60)
    assert cache.incr(f"{unique}counter") == 2


def seed_views_and_fragments(unique: str) -> None:
    """`cache_page` and `{% cache %}` fragments of seed 002, through Django's own client and template engine."""
    from django.template import Context, Engine
    from django.test import Client

    client = Client()
    first = client.get(f"/cached?u={unique}").json()
    assert client.get(f"/cached?u={unique}").json() == first  # served from the cache: the view did not run again
    template = Engine(libraries={"cache": "django.templatetags.cache"}).from_string(
        "{% load cache %}{% cache 500 sidebar request.user.username %}{{ rendered }}{% endcache %}"
    )
    request = type("Request", (), {"user": type("User", (), {"username": unique})()})()
    assert template.render(Context({"request": request, "rendered": "first"})) == "first"
    assert template.render(Context({"request": request, "rendered": "second"})) == "first"  # the cached fragment


def test_seed_cache_examples_run_as_written_on_redis(redis_django: Any, unique: str, redis_client: Any) -> None:
    seed_cache_examples(unique)
    seed_views_and_fragments(unique)
    from django.core.cache import cache

    cache.set(f"{unique}seen", 1)
    assert redis_client.exists(f":1:{unique}seen")  # really in Redis, under Django's key layout


def test_seed_cache_examples_run_as_written_on_a_cluster(redis_django: Any, redis_cluster: Any, unique: str) -> None:
    redis_django(CACHES=redis_caches(redis_cluster[0].url, cluster=True))
    seed_cache_examples(unique)
    seed_views_and_fragments(unique)
    from django_redis import get_redis_connection
    from redis.cluster import RedisCluster

    connection = get_redis_connection("default")
    assert isinstance(connection, RedisCluster)
    assert len({connection.get_node_from_key(f":1:{unique}{n}").port for n in range(20)}) == 3


def test_seed_cache_invalidation_on_post_save_and_post_delete(redis_django: Any, unique: str) -> None:
    from django.core.cache import cache
    from django.db.models.signals import post_delete, post_save
    from django_app.invitations.models import GroupMembership as User  # the example project's model stands in

    # Seed 002, "Cache Invalidation", as written.
    def invalidate_cache(sender, instance, **kwargs):
        cache_key = f"user_data:{instance.id}"
        cache.delete(cache_key)

    post_save.connect(invalidate_cache, sender=User)
    post_delete.connect(invalidate_cache, sender=User)
    try:
        user = User.objects.create(user_id=unique, group_type="team", group_id="g")
        cache.set(f"user_data:{user.id}", "stale")
        user.role = "admin"
        user.save()
        assert cache.get(f"user_data:{user.id}") is None
        cache.set(f"user_data:{user.id}", "stale")
        pk = user.id
        user.delete()
        assert cache.get(f"user_data:{pk}") is None
    finally:
        post_save.disconnect(invalidate_cache, sender=User)
        post_delete.disconnect(invalidate_cache, sender=User)


def test_seed_api_view_runs_as_written_on_our_rate_limit(redis_django: Any, redis_client: Any) -> None:
    from django.test import Client

    ip = "198.51.100.7"
    assert Client(REMOTE_ADDR=ip).get("/api").json() == {"data": "success"}
    assert redis_client.get(f"rl:{{{ip}}}:f:3600000") == b"1"  # counted in Redis by the default limiter


@pytest.fixture
def sessions_table(redis_django: Any) -> Any:
    """The suite's `django.contrib.sessions` table (migrated with the suite's settings), emptied after the test."""
    from django.contrib.sessions.models import Session

    yield redis_django
    Session.objects.all().delete()


def test_cache_sessions_live_in_redis_and_a_restart_logs_everyone_out(redis_django: Any, disposable_redis: Any) -> None:
    from django.contrib.sessions.backends.cache import SessionStore

    # Seed 002, "Session Storage".
    redis_django(
        CACHES=redis_caches(disposable_redis.url),
        SESSION_ENGINE="django.contrib.sessions.backends.cache",
        SESSION_CACHE_ALIAS="default",
    )
    session = SessionStore()
    session["user_id"] = 42
    session.save()
    assert SessionStore(session.session_key)["user_id"] == 42
    disposable_redis.kill()
    disposable_redis.start()
    assert SessionStore(session.session_key).get("user_id") is None  # the session is gone with the server


def test_cached_db_sessions_survive_a_redis_outage(sessions_table: Any, disposable_redis: Any) -> None:
    from django.contrib.sessions.backends.cached_db import SessionStore

    sessions_table(
        CACHES=redis_caches(disposable_redis.url, ignore_exceptions=True),
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    )
    session = SessionStore()
    session["user_id"] = 42
    session.save()
    disposable_redis.kill()
    assert SessionStore(session.session_key)["user_id"] == 42  # read from the database while Redis is down
    disposable_redis.start()
    assert SessionStore(session.session_key)["user_id"] == 42  # and after a restart emptied the cache


MAX = 50


def test_the_seeds_rate_limit_lets_too_many_through_and_ours_does_not(redis_django: Any, unique: str) -> None:
    from .seed_snippets import rate_limit as seed_rate_limit

    ours = hammer(lambda: lambda: rate_limit(f"{unique}ours", max_requests=MAX, window=60))
    assert ours == MAX
    seeds = []
    for trial in range(8):  # the race is likely, not certain, in one trial: stop at the first that shows it
        key = f"{unique}seed{trial}"
        seeds.append(hammer(lambda key=key: lambda: seed_rate_limit(key, max_requests=MAX, window=60)))
        if seeds[-1] > MAX:
            break
    assert max(seeds) > MAX, seeds


def test_rate_limit_on_the_in_memory_fallback_counts_per_process(
    redis_django: Any, unique: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    redis_django(CACHES=redis_caches(None, debug=True))
    assert [rate_limit(unique, max_requests=2, window=60) for _ in range(3)] == [True, True, False]
