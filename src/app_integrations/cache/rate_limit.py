"""The guide's `rate_limit(key, max_requests, window)`, made atomic: one round trip per check, exact under concurrency.

The guide reads the count, compares, then writes: racing callers all read the same count and all pass, and at
a window's end `incr` on the expired key raises. Here each check is one Lua script run by Redis itself:

* `fixed` (the guide's meaning): INCR a counter whose window starts at its first hit and is timed by the
  server (PEXPIRE), so N processes on one key let exactly `max_requests` through per window. Up to twice the
  limit can pass across a window boundary, as with any fixed window. On a single Redis server this needs no
  script: `INCR`, `PEXPIRE <window> NX` and `PTTL` go out in one pipelined write and come back in one round trip.
  INCR alone decides the count, so the check is exact under any concurrency; `PEXPIRE ... NX` on every check
  gives a counter without a TTL one (the only thing a broken pipeline could leave behind), so none is permanent.
  A script call costs Redis about ten times an INCR's CPU; these three cost about three. On a cluster client the
  same logic runs as one Lua script (`FIXED_WINDOW`).
* `gcra` (smooth): the generic cell rate algorithm. One stored timestamp per key, the server's clock, a burst of
  `max_requests`, then one request per `window / max_requests`; an exact retry-after.

Keys are hash-tagged (`keys.tagged_key`), so both work on a Redis Cluster. When Redis cannot be reached the
check follows the configured policy instead of raising: `"allow"` (fail open, the error logged) or `"deny"`
(fail closed; the view decorator answers 503). With a non-Redis Django cache (the in-memory development
fallback) the fixed window runs on the cache API (`add` + `incr`), which is atomic within one process; `gcra`
needs Redis and falls back to the fixed window there.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
from collections.abc import Callable, Sequence
from typing import Any, Literal

import attrs
import redis
import redis.asyncio
from redis.exceptions import NoScriptError, RedisClusterException, RedisError

from ..settings import text
from .client import AsyncRedisClient, RedisClient, async_redis_client, configured_client
from .keys import tagged_key

logger: logging.Logger = logging.getLogger(__name__)

Algorithm = Literal["fixed", "gcra"]
OnError = Literal["allow", "deny"]
NAMESPACE = "rl"

# KEYS[1] counter; ARGV[1] window in ms. A key found without a TTL (written by something else) gets one, so a
# counter can never become permanent. Returns count * 2^32 + ms until the window ends, as one integer: an integer
# reply costs the client what INCR's does, where a two-element array costs a third more per check. Exact in a
# double, as the count is capped at 2^20 (beyond any limit; `check` refuses larger) and the window below 2^32 ms.
FIXED_WINDOW = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if count > 1048575 then count = 1048575 end
return count * 4294967296 + ttl
"""
MAX_REQUESTS = 1048574
MAX_WINDOW_MS = 2**32 - 1

# KEYS[1] theoretical arrival time (TAT, µs); ARGV[1] emission interval µs, ARGV[2] burst (requests); ARGV[3], when
# given, the time now in µs (a limiter's own `clock`), else the server's clock.
# Returns {allowed 0/1, remaining, µs until allowed again, µs until the bucket is full}.
GCRA = """
local now
if ARGV[3] then
  now = tonumber(ARGV[3])
else
  local now_parts = redis.call('TIME')
  now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
end
local interval = tonumber(ARGV[1])
local tolerance = interval * tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - tolerance
if now < allow_at then
  return {0, 0, allow_at - now, tat - now}
end
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
return {1, math.floor((tolerance - (new_tat - now)) / interval), 0, new_tat - now}
"""

#: What a Redis that is down, slow or unreachable raises through redis-py (single server or cluster).
STORE_ERRORS = (RedisError, RedisClusterException, OSError)


@attrs.frozen
class Decision:
    """The outcome of one check.

    `remaining` is how many more requests the limit lets through now; `reset_after` the seconds until the limit
    is fully available again; `retry_after` the seconds until a denied request may succeed (0 when allowed);
    `backend_error` is True when Redis could not be asked and the failure policy decided.
    """

    allowed: bool
    limit: int
    remaining: int
    reset_after: float
    retry_after: float = 0.0
    backend_error: bool = False


@functools.cache
def _sha(source: str) -> str:
    return hashlib.sha1(source.encode()).hexdigest()  # noqa: S324  (the script's name in Redis, not security)


def run_script(client: RedisClient, source: str, keys: Sequence[str], args: Sequence[Any]) -> Any:
    """EVALSHA `source` (one round trip), loading it with EVAL the first time a server has not seen it."""
    try:
        return client.evalsha(_sha(source), len(keys), *keys, *args)
    except NoScriptError:
        return client.eval(source, len(keys), *keys, *args)


async def arun_script(client: AsyncRedisClient, source: str, keys: Sequence[str], args: Sequence[Any]) -> Any:
    """`run_script` on a `redis.asyncio` client."""
    try:
        return await client.evalsha(_sha(source), len(keys), *keys, *args)
    except NoScriptError:
        return await client.eval(source, len(keys), *keys, *args)


_PACKED: dict[tuple[tuple[Any, ...], ...], list[bytes]] = {}


def _packed(connection: Any, commands: tuple[tuple[Any, ...], ...]) -> list[bytes]:
    """redis-py's encoding of `commands`, made once per key and window (a check's commands never change); the
    arguments are ASCII names and integers, encoded alike by every connection."""
    packed = _PACKED.get(commands)
    if packed is None:
        if len(_PACKED) > 4096:
            _PACKED.clear()
        packed = _PACKED[commands] = connection.pack_commands(commands)
    return packed


def pipelined(client: redis.Redis, commands: tuple[tuple[Any, ...], ...]) -> list[Any]:
    """Send `commands` in one write on one pooled connection and read their replies (one round trip).

    Through redis-py's own connection (its protocol encoder, parser, health check and timeouts), without a
    `Pipeline` object per call; a connection that failed mid-way is disconnected, never handed back half-read.
    """
    pool: Any = client.connection_pool  # redis-py's pool and connection methods are untyped
    connection: Any = pool.get_connection()
    try:
        connection.send_packed_command(_packed(connection, commands))
        return [connection.read_response() for _ in commands]
    except BaseException:
        connection.disconnect()
        raise
    finally:
        pool.release(connection)


async def apipelined(client: redis.asyncio.Redis, commands: tuple[tuple[Any, ...], ...]) -> list[Any]:
    """`pipelined` on a `redis.asyncio` client."""
    pool: Any = client.connection_pool
    connection: Any = await pool.get_connection()
    try:
        await connection.send_packed_command(_packed(connection, commands))
        return [await connection.read_response() for _ in commands]
    except BaseException:
        await connection.disconnect()
        raise
    finally:
        await pool.release(connection)


@attrs.frozen
class _Plan:
    """One check as data: the script call to make and how to read its answer (no I/O, shared by sync and async)."""

    source: str
    keys: tuple[str, ...]
    args: tuple[Any, ...]
    max_requests: int
    window: float
    algorithm: Algorithm
    commands: tuple[tuple[Any, ...], ...] = ()
    """The script-free form of the check for a single server (the fixed window's INCR, PEXPIRE NX, PTTL)."""

    def replies_decision(self, replies: list[Any]) -> Decision:
        """The `Decision` the pipelined replies mean (`commands`)."""
        count, ttl_ms = int(replies[0]), int(replies[2])
        window_ms = int(self.args[0])
        if ttl_ms < 0:  # expired between INCR and PTTL (-2), or the TTL just set is not visible yet: a full window
            ttl_ms = window_ms
        return self.decision(min(count, MAX_REQUESTS + 1) * (1 << 32) + ttl_ms)

    def decision(self, answer: Any) -> Decision:
        """The `Decision` a script answer means."""
        if self.algorithm == "gcra":
            allowed, remaining, retry_us, reset_us = answer
            return Decision(bool(allowed), self.max_requests, int(remaining), int(reset_us) / 1e6, int(retry_us) / 1e6)
        count, ttl_ms = divmod(int(answer), 1 << 32)
        reset, allowed = ttl_ms / 1000, count <= self.max_requests
        return Decision(allowed, self.max_requests, max(0, self.max_requests - count), reset, 0.0 if allowed else reset)


@functools.lru_cache(maxsize=4096)  # the same keys and limits come back request after request
def _plan(key: str, max_requests: int, window: float, algorithm: Algorithm) -> _Plan:
    if not 1 <= max_requests <= MAX_REQUESTS or not 0 < window * 1000 <= MAX_WINDOW_MS:
        raise ValueError(f"max_requests must be 1..{MAX_REQUESTS} and window 0..{MAX_WINDOW_MS // 1000} s")
    if algorithm == "gcra":
        interval = max(1, round(window * 1_000_000 / max_requests))
        name = tagged_key(NAMESPACE, key, "g", interval, max_requests)
        return _Plan(GCRA, (name,), (interval, max_requests), max_requests, window, algorithm)
    window_ms = max(1, round(window * 1000))
    name = tagged_key(NAMESPACE, key, "f", window_ms)
    commands = (("INCR", name), ("PEXPIRE", name, window_ms, "NX"), ("PTTL", name))
    return _Plan(FIXED_WINDOW, (name,), (window_ms,), max_requests, window, "fixed", commands)


class _Policy:
    def __init__(self, on_error: OnError | None, clock: Callable[[], float] | None) -> None:
        self._on_error = on_error
        self._clock = clock

    def _args(self, plan: _Plan) -> tuple[Any, ...]:
        """The script's arguments: the plan's, and the limiter's own time for `gcra` when it has a clock."""
        if self._clock is None or plan.algorithm != "gcra":
            return plan.args
        return (*plan.args, round(self._clock() * 1_000_000))

    @property
    def on_error(self) -> OnError:
        """The failure policy in force."""
        policy = text("RATE_LIMIT_ON_ERROR", self._on_error, "allow").lower()
        if policy not in ("allow", "deny"):
            raise ValueError(f"RATE_LIMIT_ON_ERROR must be 'allow' or 'deny', not {policy!r}")
        return policy  # type: ignore[return-value]

    def _unavailable(self, plan: _Plan, exc: Exception) -> Decision:
        allowed = self.on_error == "allow"
        logger.error(
            "rate limit store unavailable (%s); request %s by policy", type(exc).__name__,
            "allowed" if allowed else "denied",
        )  # fmt: skip
        window = plan.window
        return Decision(allowed, plan.max_requests, 0, window, 0.0 if allowed else window, backend_error=True)


class RateLimiter(_Policy):
    """Atomic rate limits on one Redis client (or cluster client) with one failure policy.

    Without `client`, the client is `configured_client()`: the django-redis connection of the cache alias named
    by the `RATE_LIMIT_CACHE` setting (default `"default"`) when Django is configured, else a client of
    `REDIS_URL`. `on_error` defaults to the `RATE_LIMIT_ON_ERROR` setting, else `"allow"`. `clock` (seconds, e.g.
    `time.time`) times `gcra` instead of the Redis server's clock, which every process shares; give one only where
    a single clock is the point (a test moving time on). The fixed window is always timed by the server.
    """

    def __init__(
        self,
        client: RedisClient | None = None,
        *,
        on_error: OnError | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(on_error, clock)
        self._client = client

    def check(self, key: str, max_requests: int = 10, window: float = 60, algorithm: Algorithm = "fixed") -> Decision:
        """Count one request for `key` against `max_requests` per `window` seconds and say whether it may pass."""
        plan = _plan(key, max_requests, window, algorithm)
        try:
            client = self._client if self._client is not None else configured_client()
            if client is None:
                return _cache_fixed_window(key, max_requests, window)
            if plan.commands and isinstance(client, redis.Redis):
                return plan.replies_decision(pipelined(client, plan.commands))
            return plan.decision(run_script(client, plan.source, plan.keys, self._args(plan)))
        except STORE_ERRORS as exc:
            return self._unavailable(plan, exc)


class AsyncRateLimiter(_Policy):
    """`RateLimiter` for asyncio code, on a `redis.asyncio` client (single server or cluster).

    Without `client`, one is made from `REDIS_URL` on first use (`async_redis_client`), inside the running event
    loop; make one limiter per loop, or pass a client of your own. `clock` as for `RateLimiter`.
    """

    def __init__(
        self,
        client: AsyncRedisClient | None = None,
        *,
        on_error: OnError | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(on_error, clock)
        self._client = client

    async def check(
        self, key: str, max_requests: int = 10, window: float = 60, algorithm: Algorithm = "fixed"
    ) -> Decision:
        """Count one request for `key` against `max_requests` per `window` seconds and say whether it may pass."""
        plan = _plan(key, max_requests, window, algorithm)
        try:
            if self._client is None:
                self._client = async_redis_client()
            if plan.commands and isinstance(self._client, redis.asyncio.Redis):
                return plan.replies_decision(await apipelined(self._client, plan.commands))
            return plan.decision(await arun_script(self._client, plan.source, plan.keys, self._args(plan)))
        except STORE_ERRORS as exc:
            return self._unavailable(plan, exc)


def _cache_fixed_window(key: str, max_requests: int, window: float) -> Decision:
    """The fixed window on a non-Redis Django cache: `add` (set if absent, with the TTL) then `incr`."""
    from ..settings import django_setting

    if not isinstance(django_setting("CACHES"), dict):
        raise ValueError("no Redis configured for rate limiting: pass a client, or set REDIS_URL or CACHES")
    from django.core.cache import caches

    cache = caches[text("RATE_LIMIT_CACHE", None, "default")]
    name = tagged_key(NAMESPACE, key, "f", round(window * 1000))
    timeout = max(1, math.ceil(window))
    for _ in range(3):
        cache.add(name, 0, timeout)
        try:
            count = int(cache.incr(name))
        except ValueError:  # expired between add and incr: start the next window
            continue
        allowed = count <= max_requests
        return Decision(allowed, max_requests, max(0, max_requests - count), window, 0.0 if allowed else window)
    raise RuntimeError("rate limit counter kept expiring")  # pragma: no cover - needs a window shorter than a call


_DEFAULT = RateLimiter()


def check_rate_limit(key: str, max_requests: int = 10, window: float = 60, algorithm: Algorithm = "fixed") -> Decision:
    """The full `Decision` for one request under the default limiter (see `RateLimiter`)."""
    return _DEFAULT.check(key, max_requests, window, algorithm)


def rate_limit(key: str, max_requests: int = 10, window: float = 60, algorithm: Algorithm = "fixed") -> bool:
    """The integrations guide's `rate_limit`: True if this request for `key` is allowed, False if rate limited.

    :param key: Unique key for the rate limit (e.g., IP address)
    :param max_requests: Maximum requests allowed in window
    :param window: Time window in seconds
    :param algorithm: `"fixed"` (the guide's fixed window) or `"gcra"` (smooth: a burst of `max_requests`, then
        one request per `window / max_requests`)
    """
    return _DEFAULT.check(key, max_requests, window, algorithm).allowed
