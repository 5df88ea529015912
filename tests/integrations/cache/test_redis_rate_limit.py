"""The atomic limiter against a real Redis and a real 3-master cluster: counts, windows, keys, outages, races."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
import redis
from redis.cluster import RedisCluster

from app_integrations.cache import (
    AsyncRateLimiter,
    ConnectionOptions,
    RateLimiter,
    async_redis_client,
    redis_client,
    tagged_key,
)
from app_integrations.cache.rate_limit import FIXED_WINDOW, NAMESPACE, run_script

from .hammer import hammer


@pytest.fixture
def limiter(redis_url: str) -> RateLimiter:
    return RateLimiter(redis_client(redis_url))


@pytest.mark.parametrize("algorithm", ["fixed", "gcra"])
def test_exactly_the_limit_passes_then_denials_say_when_to_retry(
    limiter: RateLimiter, unique: str, algorithm: Any
) -> None:
    decisions = [limiter.check(unique, 5, 60, algorithm) for _ in range(8)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False] * 3
    assert [d.remaining for d in decisions[:5]] == [4, 3, 2, 1, 0]
    denied = decisions[-1]
    assert denied.remaining == 0 and not denied.backend_error
    assert 0 < denied.retry_after <= 60 and 0 < denied.reset_after <= 60
    if algorithm == "gcra":  # one request per window/limit comes back: retry after at most 12 s
        assert denied.retry_after <= 12


def test_fixed_window_reopens_when_the_server_expires_it(
    limiter: RateLimiter, redis_client: redis.Redis, unique: str
) -> None:
    # The window is timed by Redis (PEXPIRE), whose clock a test cannot move: the counter carries the window as its
    # TTL, and once the server drops it (here: told to, now) the next check opens a new window.
    assert [limiter.check(unique, 2, 60).allowed for _ in range(3)] == [True, True, False]
    name = tagged_key(NAMESPACE, unique, "f", 60000)
    assert 0 < redis_client.pttl(name) <= 60000
    redis_client.pexpire(name, 1)
    while redis_client.exists(name):
        time.sleep(0.001)
    assert [limiter.check(unique, 2, 60).allowed for _ in range(3)] == [True, True, False]


class SteppedClock:
    """A clock the test moves by hand (seconds)."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_gcra_refills_one_request_per_interval_not_a_whole_window(redis_url: str, unique: str) -> None:
    clock = SteppedClock()
    limiter = RateLimiter(redis_client(redis_url), clock=clock)
    assert all(limiter.check(unique, 4, 0.4, "gcra").allowed for _ in range(4))
    denied = limiter.check(unique, 4, 0.4, "gcra")
    assert not denied.allowed and denied.retry_after == pytest.approx(0.1)
    clock.now += 0.1  # one interval later: one more, not four
    assert limiter.check(unique, 4, 0.4, "gcra").allowed
    assert not limiter.check(unique, 4, 0.4, "gcra").allowed
    clock.now += 0.4  # a whole window: the full burst again
    assert [limiter.check(unique, 4, 0.4, "gcra").allowed for _ in range(5)] == [True] * 4 + [False]


async def test_the_async_limiter_takes_a_clock_too(redis_url: str, unique: str) -> None:
    clock = SteppedClock()
    client = async_redis_client(redis_url)
    limiter = AsyncRateLimiter(client, clock=clock)
    assert [(await limiter.check(unique, 2, 10, "gcra")).allowed for _ in range(3)] == [True, True, False]
    clock.now += 5
    assert (await limiter.check(unique, 2, 10, "gcra")).allowed
    await client.aclose()


def test_each_key_and_window_counts_apart(limiter: RateLimiter, unique: str) -> None:
    assert limiter.check(f"{unique}a", 1, 60).allowed
    assert limiter.check(f"{unique}b", 1, 60).allowed
    assert limiter.check(f"{unique}a", 1, 30).allowed
    assert not limiter.check(f"{unique}a", 1, 60).allowed


def test_a_counter_left_without_ttl_gets_one(limiter: RateLimiter, redis_client: redis.Redis, unique: str) -> None:
    name = tagged_key(NAMESPACE, unique, "f", 60000)
    redis_client.set(name, 0)  # as `incr(..., ignore_key_check=True)` would leave it: no TTL
    limiter.check(unique, 5, 60)
    assert 0 < redis_client.pttl(name) <= 60000


def test_one_round_trip_per_check(limiter: RateLimiter, redis_url: str, unique: str, monkeypatch: Any) -> None:
    client = redis_client(redis_url)
    limiter = RateLimiter(client)
    limiter.check(unique, 5, 60)  # the script is loaded now
    limiter.check(unique, 5, 60, "gcra")
    sent: list[Any] = []
    original = redis.connection.Connection.send_packed_command

    def counting(self: Any, command: Any, check_health: bool = True) -> None:
        sent.append(command)
        original(self, command, check_health)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counting)
    for algorithm in ("fixed", "gcra"):
        sent.clear()
        limiter.check(unique, 5, 60, algorithm)  # type: ignore[arg-type]
        assert len(sent) == 1


def test_hash_tags_keep_caller_text_from_breaking_the_slot() -> None:
    assert tagged_key("rl", "ip:10.0.0.1", "f", 60) == "rl:{ip:10.0.0.1}:f:60"
    hashed = tagged_key("rl", "evil}{x", "f")
    assert hashed.startswith("rl:{#") and hashed.count("{") == 1 and hashed.count("}") == 1
    assert tagged_key("rl", "a b") != tagged_key("rl", "a_b")


def test_the_script_loads_itself_on_a_server_that_never_saw_it(redis_client: redis.Redis, unique: str) -> None:
    redis_client.script_flush()
    count, ttl = divmod(
        run_script(redis_client, FIXED_WINDOW, [tagged_key(NAMESPACE, unique, "f", 1000)], [1000]), 2**32
    )
    assert count == 1 and 0 < ttl <= 1000


@pytest.mark.parametrize("algorithm", ["fixed", "gcra"])
def test_on_a_cluster_every_slot_limits_exactly(cluster_client: RedisCluster, unique: str, algorithm: Any) -> None:
    limiter = RateLimiter(cluster_client)
    subjects = [f"{unique}-{index}" for index in range(12)]  # spread over the three masters
    nodes = {cluster_client.get_node_from_key(tagged_key(NAMESPACE, subject)).port for subject in subjects}
    assert len(nodes) == 3
    for subject in subjects:
        assert [limiter.check(subject, 3, 60, algorithm).allowed for _ in range(4)] == [True, True, True, False]


def test_redis_client_builds_a_cluster_client_with_the_chosen_options(redis_cluster: Any, unique: str) -> None:
    options = ConnectionOptions(socket_timeout=0.3, retries=1, max_connections=7)
    client = redis_client(redis_cluster[0].url, cluster=True, options=options)
    assert isinstance(client, RedisCluster)
    assert RateLimiter(client).check(unique, 1, 60).allowed
    node = client.get_node_from_key(unique)
    pool = node.redis_connection.connection_pool
    assert pool.max_connections == 7 and pool.connection_kwargs["socket_timeout"] == 0.3
    client.close()


def test_redis_client_chooses_timeouts_retries_and_a_blocking_pool(redis_url: str) -> None:
    client = redis_client(redis_url)
    pool = client.connection_pool
    assert isinstance(pool, redis.BlockingConnectionPool)
    assert pool.max_connections == 50 and pool.timeout == 0.5
    kwargs = pool.connection_kwargs
    assert kwargs["socket_timeout"] == 0.5 and kwargs["socket_connect_timeout"] == 0.5
    assert kwargs["retry"].get_retries() == 2 and kwargs["health_check_interval"] == 30
    client.close()


@pytest.mark.parametrize("policy", ["allow", "deny"])
def test_redis_killed_mid_run_follows_the_policy_and_recovers(
    disposable_redis: Any, unique: str, policy: Any, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = RateLimiter(redis_client(disposable_redis.url), on_error=policy)
    assert all(limiter.check(unique, 3, 60).allowed for _ in range(2))
    disposable_redis.kill()
    with caplog.at_level(logging.ERROR, logger="app_integrations.cache.rate_limit"):
        outage = [limiter.check(unique, 3, 60, algorithm) for algorithm in ("fixed", "gcra", "fixed")]
    assert all(d.backend_error and d.allowed is (policy == "allow") for d in outage)
    assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 3
    disposable_redis.start()
    assert limiter.check(unique, 3, 60).allowed  # a fresh server: counting starts over


def test_the_policy_comes_from_settings(disposable_redis: Any, unique: str, monkeypatch: Any) -> None:
    limiter = RateLimiter(redis_client(disposable_redis.url))
    disposable_redis.kill()
    assert limiter.check(unique).allowed  # default: fail open
    monkeypatch.setenv("RATE_LIMIT_ON_ERROR", "deny")
    assert not limiter.check(unique).allowed
    monkeypatch.setenv("RATE_LIMIT_ON_ERROR", "maybe")
    with pytest.raises(ValueError, match="allow"):
        limiter.check(unique)


def test_bad_limits_are_refused(limiter: RateLimiter) -> None:
    with pytest.raises(ValueError):
        limiter.check("k", 0, 60)
    with pytest.raises(ValueError):
        limiter.check("k", 5, 0)


MAX = 50  # 8 processes x 4 threads x 12 calls = 384 attempts on one key


@pytest.mark.parametrize("algorithm", ["fixed", "gcra"])
def test_8_processes_x_4_threads_on_one_key_let_exactly_the_limit_through(
    redis_url: str, unique: str, algorithm: str
) -> None:
    def make_check() -> Any:
        limiter = RateLimiter(redis_client(redis_url))
        return lambda: limiter.check(unique, MAX, 60, algorithm).allowed  # type: ignore[arg-type]

    assert hammer(make_check) == MAX


def test_on_a_cluster_too(redis_cluster: Any, unique: str) -> None:
    def make_check() -> Any:
        limiter = RateLimiter(redis_client(redis_cluster[0].url, cluster=True))
        return lambda: limiter.check(unique, MAX, 60).allowed

    assert hammer(make_check, processes=4, threads=4, calls=6) == MAX


@pytest.mark.parametrize("algorithm", ["fixed", "gcra"])
async def test_async_twin_counts_exactly_under_concurrent_tasks(redis_url: str, unique: str, algorithm: Any) -> None:
    # 90 tasks share 50 connections: the default 0.5 s pool and socket timeouts are for production, and on a loaded
    # machine a wait past them is a store failure that the policy allows. This test is about exact counts.
    patient = ConnectionOptions(socket_timeout=10, connect_timeout=10, pool_timeout=10)
    client = async_redis_client(redis_url, options=patient)
    limiter = AsyncRateLimiter(client)
    decisions = await asyncio.gather(*(limiter.check(unique, 20, 60, algorithm) for _ in range(90)))
    assert sum(d.allowed for d in decisions) == 20
    await client.aclose()


async def test_async_twin_builds_its_client_from_redis_url(
    redis_url: str, unique: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", redis_url)
    limiter = AsyncRateLimiter()
    assert [(await limiter.check(unique, 1, 60)).allowed for _ in range(2)] == [True, False]


async def test_async_twin_on_a_cluster(redis_cluster: Any, unique: str) -> None:
    client = async_redis_client(redis_cluster[0].url, cluster=True)
    limiter = AsyncRateLimiter(client)
    assert [(await limiter.check(f"{unique}{n}", 1, 60)).allowed for n in range(6) for _ in range(2)] == [
        True,
        False,
    ] * 6
    await client.aclose()


async def test_async_twin_follows_the_policy_when_redis_dies(disposable_redis: Any, unique: str) -> None:
    client = async_redis_client(disposable_redis.url)
    limiter = AsyncRateLimiter(client, on_error="deny")
    assert (await limiter.check(unique, 5, 60)).allowed
    disposable_redis.kill()
    denied = await limiter.check(unique, 5, 60)
    assert not denied.allowed and denied.backend_error
    await client.aclose()
