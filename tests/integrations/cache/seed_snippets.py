"""Seed 002's Redis code, verbatim (its "Rate Limiting with Redis" and "Cache Invalidation" examples).

Kept as written so the tests can show what the seed's version does under concurrency, beside ours.
"""

import time  # noqa: F401  (the seed imports it)

from django.core.cache import cache


def rate_limit(key, max_requests=10, window=60):
    """
    Simple rate limiting using Redis.

    :param key: Unique key for the rate limit (e.g., IP address)
    :param max_requests: Maximum requests allowed in window
    :param window: Time window in seconds
    :returns: True if request is allowed, False if rate limited
    """
    cache_key = f"rate_limit:{key}"

    # Get current request count
    current = cache.get(cache_key, 0)

    if current >= max_requests:
        return False

    # Increment counter
    if current == 0:
        # First request - set counter with expiration
        cache.set(cache_key, 1, timeout=window)
    else:
        # Increment existing counter
        cache.incr(cache_key)

    return True
