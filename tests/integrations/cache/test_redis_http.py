"""`@rate_limited` and `RateLimitMiddleware` through Django's test client, on a real Redis: answers, headers, keys,
trusted proxies, and a Redis that is down."""

from __future__ import annotations

import random
from typing import Any

import pytest

from app_integrations.cache import client_ip, ip_key, parse_rate, redis_caches


@pytest.fixture
def ip() -> str:
    """A client address of this test's own (the server's counters outlive a test)."""
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def client(address: str, **headers: str) -> Any:
    from django.test import Client

    return Client(REMOTE_ADDR=address, headers=headers)


def test_over_the_rate_answers_429_with_retry_after_and_ratelimit_headers(redis_django: Any, ip: str) -> None:
    answers = [client(ip).get("/ip") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    refused = answers[-1]
    assert refused.json() == {"error": "Rate limit exceeded"}
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["RateLimit-Limit"] == "3" and refused["RateLimit-Policy"] == "3;w=60"
    assert 1 <= int(refused["RateLimit-Reset"]) <= 60
    assert client(ip).get("/hello").status_code == 200  # undecorated views are not limited


def test_async_views_are_limited_too(redis_django: Any, ip: str) -> None:
    statuses = [client(ip).get("/ip-async").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_each_view_has_its_own_counter(redis_django: Any, ip: str) -> None:
    for _ in range(3):
        client(ip).get("/ip")
    assert client(ip).get("/ip").status_code == 429
    assert client(ip).get("/ip-async").status_code == 200


def test_a_spoofed_x_forwarded_for_does_not_reset_the_limit(redis_django: Any, ip: str) -> None:
    statuses = [client(ip, x_forwarded_for=f"203.0.113.{n}").get("/ip").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_the_proxys_entry_is_the_client(redis_django: Any, ip: str) -> None:
    redis_django(RATE_LIMIT_TRUSTED_PROXIES=["127.0.0.0/8"])
    # The client writes a fresh left-hand entry each time; the proxy appends the address it saw (`ip`).
    statuses = [client("127.0.0.1", x_forwarded_for=f"203.0.113.{n}, {ip}").get("/ip").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client("127.0.0.1", x_forwarded_for="198.18.0.1").get("/ip").status_code == 200  # someone else


def test_callable_keys_methods_and_exemptions(redis_django: Any, ip: str) -> None:
    assert all(client(ip).get("/param?k=a").status_code == 200 for _ in range(3))  # GET is not counted
    assert [client(ip).post("/param?k=a").status_code for _ in range(3)] == [200, 200, 429]
    assert client(ip).post("/param?k=b").status_code == 200
    assert all(client(ip).post("/param").status_code == 200 for _ in range(3))  # key None: exempt


def test_user_keys_follow_the_user_not_the_address(redis_django: Any, ip: str) -> None:
    redis_django(MIDDLEWARE=["tests.integrations.cache.redis_urls.TestUserMiddleware"])
    user = f"u{random.randint(0, 10**9)}"
    assert [client(f"{ip}", x_test_user=user).get("/user").status_code for _ in range(2)] == [200, 200]
    assert client("192.0.2.9", x_test_user=user).get("/user").status_code == 429  # same user, other address
    assert client(ip).get("/user").status_code == 200  # anonymous: keyed by address


def test_middleware_limits_every_path_but_the_exempt_ones(redis_django: Any, ip: str) -> None:
    redis_django(
        MIDDLEWARE=["app_integrations.cache.RateLimitMiddleware"],
        RATE_LIMIT_RATE="2/m",
        RATE_LIMIT_EXEMPT_PATHS=["/health"],
    )
    assert [client(ip).get(path).status_code for path in ("/hello", "/api", "/hello")] == [200, 200, 429]
    assert client(ip).get("/health").status_code == 200
    answer = client(ip).get("/hello")
    assert answer.status_code == 429 and answer["RateLimit-Limit"] == "2" and "Retry-After" in answer


def test_middleware_without_a_rate_is_not_used(redis_django: Any, ip: str) -> None:
    redis_django(MIDDLEWARE=["app_integrations.cache.RateLimitMiddleware"])
    answer = client(ip).get("/hello")
    assert answer.status_code == 200 and "RateLimit-Limit" not in answer


@pytest.mark.parametrize(("policy", "status"), [("allow", 200), ("deny", 503)])
def test_redis_down_gives_the_configured_policy_never_a_500(
    redis_django: Any, disposable_redis: Any, ip: str, policy: str, status: int
) -> None:
    redis_django(CACHES=redis_caches(disposable_redis.url), RATE_LIMIT_ON_ERROR=policy,
                 MIDDLEWARE=["app_integrations.cache.RateLimitMiddleware"], RATE_LIMIT_RATE="100/m")  # fmt: skip
    assert client(ip).get("/ip").status_code == 200
    disposable_redis.kill()
    for path in ("/ip", "/ip-async", "/api", "/hello"):
        assert client(ip).get(path).status_code == status
    refused = client(ip).get("/ip")
    if status == 503:
        assert refused.json() == {"error": "Rate limiter unavailable"} and "Retry-After" in refused
    disposable_redis.start()
    assert client(ip).get("/ip").status_code == 200


def test_parse_rate() -> None:
    assert parse_rate("100/h") == (100, 3600)
    assert parse_rate("5/10m") == (5, 600)
    assert parse_rate(" 1 / s ") == (1, 1)
    for bad in ("100", "0/h", "1/w", "x/h"):
        with pytest.raises(ValueError):
            parse_rate(bad)


def meta(remote: str, forwarded: str | None = None) -> Any:
    values = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        values["HTTP_X_FORWARDED_FOR"] = forwarded
    return type("Request", (), {"META": values})()


def test_client_ip_trusts_forwarded_for_only_from_named_proxies() -> None:
    assert client_ip(meta("203.0.113.5", "1.2.3.4")) == "203.0.113.5"
    assert client_ip(meta("203.0.113.5", "1.2.3.4"), ["10.0.0.0/8"]) == "203.0.113.5"
    assert client_ip(meta("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.1"), "10.0.0.0/8") == "1.2.3.4"
    assert client_ip(meta("10.0.0.2", "10.0.0.3"), "10.0.0.0/8") == "10.0.0.3"  # every hop trusted: the first
    assert client_ip(meta("10.0.0.2", "1.2.3.4, junk"), "10.0.0.0/8") == "10.0.0.2"
    assert client_ip(meta("10.0.0.2"), "10.0.0.0/8") == "10.0.0.2"
    assert client_ip(meta("10.0.0.2", "[2001:db8::1]:443"), "10.0.0.0/8") == "2001:db8::1"
    assert client_ip(meta("")) == "unknown"


def test_ipv6_clients_are_keyed_by_their_64() -> None:
    assert ip_key("2001:db8:1:2:3:4:5:6") == ip_key("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64"
    assert ip_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert ip_key("192.0.2.1") == "192.0.2.1"


def test_the_decorator_and_seed_view_hold_on_a_cluster(redis_django: Any, redis_cluster: Any, ip: str) -> None:
    redis_django(CACHES=redis_caches(redis_cluster[0].url, cluster=True))
    assert [client(ip).get("/ip").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client(ip).get("/api").json() == {"data": "success"}
