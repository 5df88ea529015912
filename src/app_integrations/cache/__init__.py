"""Redis for Django apps, from the guide: cache settings, atomic rate limiting, and phone verification codes.

`redis_caches()` builds `CACHES` (django-redis when `REDIS_URL` is set, the in-memory fallback otherwise);
`rate_limit()` is the guide's function made atomic, `rate_limited` / `RateLimitMiddleware` put it in front of
views; `initiate_phone_verification` / `verify_phone_code` are the guide's SMS code flow, made safe. Everything
works on a single Redis and on a Redis Cluster.
"""

from .client import (
    DEFAULT_OPTIONS,
    AsyncRedisClient,
    ConnectionOptions,
    RedisClient,
    async_redis_client,
    configured_client,
    redis_client,
)
from .client_ip import client_ip, ip_key, trusted_networks
from .config import redis_caches
from .decorators import rate_limited
from .keys import tagged_key
from .middleware import RateLimitMiddleware
from .policy import HttpRateLimit, parse_rate
from .rate_limit import AsyncRateLimiter, Decision, RateLimiter, check_rate_limit, rate_limit
from .verification import check_verification_rate_limit, initiate_phone_verification, verify_phone_code

__all__ = [
    "DEFAULT_OPTIONS",
    "AsyncRateLimiter",
    "AsyncRedisClient",
    "ConnectionOptions",
    "Decision",
    "HttpRateLimit",
    "RateLimitMiddleware",
    "RateLimiter",
    "RedisClient",
    "async_redis_client",
    "check_rate_limit",
    "check_verification_rate_limit",
    "client_ip",
    "configured_client",
    "initiate_phone_verification",
    "ip_key",
    "parse_rate",
    "rate_limit",
    "rate_limited",
    "redis_caches",
    "redis_client",
    "tagged_key",
    "trusted_networks",
    "verify_phone_code",
]
