"""The guide's Redis blocks (59-66), as written, on the project's cache: the in-memory fallback, and Redis itself
(django-redis) through a private `redis-server` when the binary is there (`REDIS_URL` when set)."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import config.settings.base
import config.settings.database
import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from guide import GuideRunner

from app_integrations.cache.local_server import redis_server_binary, start_local_redis

REDIS_HINT = "install redis-server (apt-get install redis-server) or set REDIS_URL"


def redis_caches(url: str) -> dict[str, Any]:
    """The CACHES the guide's `settings/database.py` block makes for `url`."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }


@pytest.fixture(scope="module")
def redis_location() -> Iterator[str]:
    """A Redis URL: `REDIS_URL`, else a private redis-server on a free port; without either, skip (fail under CI)."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    binary = redis_server_binary()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"redis-server not found: {REDIS_HINT}")
        pytest.skip(f"redis-server not found: {REDIS_HINT}")
    with start_local_redis(binary) as url:
        yield url


@pytest.fixture(params=["locmem", "redis"])
def project_cache(request: pytest.FixtureRequest) -> Iterator[str]:
    """The project's cache as the guide configures it: without `REDIS_URL` (in-memory), and with it (Redis)."""
    if request.param == "locmem":
        cache.clear()
        yield "locmem"
        cache.clear()
        return
    location = request.getfixturevalue("redis_location")
    with override_settings(CACHES=redis_caches(location)):
        cache.clear()
        yield "redis"
        cache.clear()


@pytest.mark.guide(59)
def test_the_cache_settings_block(guide: GuideRunner, monkeypatch: Any) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    guide.run(59, os=os)
    assert guide.namespace["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6390/1")
    guide.run(59)
    assert guide.namespace["CACHES"] == redis_caches("redis://127.0.0.1:6390/1")
    assert guide.missing_from(59, config.settings.database) == []


@pytest.mark.guide(60)
def test_basic_caching(guide: GuideRunner, project_cache: str) -> None:
    guide.run(60)
    assert guide.namespace["value"] == "my_value"  # read before the delete
    assert cache.get("my_key") is None and not cache.has_key("my_key")


@pytest.mark.guide(61)
def test_caching_an_expensive_query(guide: GuideRunner, project_cache: str) -> None:
    computed: list[int] = []

    def compute_expensive_operation(user_id: int) -> dict[str, int]:
        computed.append(user_id)
        return {"user": user_id, "score": 42}

    guide.run(61, compute_expensive_operation=compute_expensive_operation)
    get_expensive_data = guide.namespace["get_expensive_data"]
    assert get_expensive_data(7) == get_expensive_data(7) == {"user": 7, "score": 42}
    assert get_expensive_data(8)["user"] == 8
    assert computed == [7, 8]  # the second call for 7 came from the cache
    assert cache.get("expensive_data:7") == {"user": 7, "score": 42}


@pytest.mark.guide(62)
def test_a_cached_view(guide: GuideRunner, project_cache: str, tmp_path: Path) -> None:
    from django.shortcuts import render

    (tmp_path / "template.html").write_text("data={{ data }}")
    calls: list[int] = []
    guide.run(62, render=render, get_data=lambda: calls.append(1) or len(calls))
    templates = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [str(tmp_path)]}]
    with override_settings(TEMPLATES=templates), guide.urls({"report/": guide.namespace["my_view"]}):
        first, second = Client().get("/report/"), Client().get("/report/")
    assert first.content == second.content == b"data=1" and calls == [1]
    assert "max-age=900" in first["Cache-Control"]


@pytest.mark.guide(63)
def test_rate_limiting_a_view(guide: GuideRunner, project_cache: str) -> None:
    from django.http import JsonResponse

    guide.run(63, JsonResponse=JsonResponse)  # the view uses JsonResponse, which the block does not import
    browser = Client(REMOTE_ADDR="203.0.113.9")
    with guide.urls({"api/": guide.namespace["api_view"]}):
        answers = [browser.get("/api/").status_code for _ in range(101)]
        other_client = Client(REMOTE_ADDR="203.0.113.10").get("/api/")
    assert answers[:100] == [200] * 100 and answers[100] == 429
    assert other_client.status_code == 200 and other_client.json() == {"data": "success"}
    assert guide.namespace["rate_limit"]("203.0.113.9", max_requests=100, window=3600) is False


@pytest.mark.guide(64)
def test_sessions_in_the_cache(guide: GuideRunner, project_cache: str, user: Any) -> None:
    guide.run(64)
    assert (guide.namespace["SESSION_ENGINE"], guide.namespace["SESSION_CACHE_ALIAS"]) == (
        config.settings.base.SESSION_ENGINE,
        config.settings.base.SESSION_CACHE_ALIAS,
    )
    assert guide.missing_from(64, config.settings.base) == []
    browser = Client()
    browser.force_login(user)
    assert cache.get(f"django.contrib.sessions.cache{browser.session.session_key}")["_auth_user_id"] == str(user.pk)


@pytest.mark.guide(65, 66)
def test_invalidation_and_key_naming(guide: GuideRunner, project_cache: str, user: Any) -> None:
    from apps.common.models import User

    cache.set(f"user_data:{user.id}", {"name": "Ada"})
    guide.run(65, User=User)
    try:
        user.first_name = "Augusta"
        user.save()
        assert cache.get(f"user_data:{user.id}") is None  # post_save invalidated it
    finally:
        from django.db.models.signals import post_delete, post_save

        post_save.disconnect(guide.namespace["invalidate_cache"], sender=User)
        post_delete.disconnect(guide.namespace["invalidate_cache"], sender=User)

    guide.run(66, user_id=user.id, team_id=3, params_hash="9f86d0", data={"rows": 2})
    for key in (f"user:{user.id}:profile", "team:3:members", "api:v1:endpoint:9f86d0", "data", "user_profile"):
        assert cache.get(key) == {"rows": 2}
