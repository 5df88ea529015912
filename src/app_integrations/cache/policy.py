"""One HTTP rate-limit policy (a rate, a key, a failure policy), written once for the decorator and the middleware.

A rate is `"<count>/<period>"` with the period `s`, `m`, `h` or `d`, optionally with a multiplier (`"100/h"`,
`"5/10m"`). The key is `"ip"` (the client address, see `client_ip`), `"user"` (the authenticated user's primary
key, else the address) or a callable `request -> str | None` (None: this request is not limited).

Answers: a request over the limit gets 429 with `Retry-After` (whole seconds, rounded up); when the limit store is
down and the policy is `"deny"`, 503 with `Retry-After`. Every answer of a checked request carries
`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds) and `RateLimit-Policy` (`<limit>;w=<window>`),
the IETF draft's fields.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import attrs

from .client_ip import client_ip, ip_key
from .rate_limit import Algorithm, Decision, OnError, RateLimiter

KeyFunction = Callable[[Any], "str | None"]
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*")


def parse_rate(rate: str) -> tuple[int, int]:
    """`"100/h"` -> `(100, 3600)`; `"5/10m"` -> `(5, 600)`."""
    match = _RATE.fullmatch(rate)
    if match is None or int(match.group(1)) < 1:
        raise ValueError(f"rate must look like '100/h' or '5/10m', not {rate!r}")
    return int(match.group(1)), int(match.group(2) or 1) * PERIODS[match.group(3)]


def request_key(request: Any, key: str | KeyFunction) -> str | None:
    """The limit key of `request` for `key` (`"ip"`, `"user"` or a callable); None means not limited."""
    if callable(key):
        return key(request)
    if key == "user":
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return f"user:{user.pk}"
        return f"ip:{ip_key(client_ip(request))}"
    if key == "ip":
        return f"ip:{ip_key(client_ip(request))}"
    raise ValueError(f"key must be 'ip', 'user' or a callable, not {key!r}")


@attrs.frozen
class HttpRateLimit:
    """A rate applied to requests: `check(request)` gives the refusal to send (or None) and the headers to add."""

    rate: str
    key: str | KeyFunction = "ip"
    group: str = ""
    algorithm: Algorithm = "fixed"
    on_error: OnError | None = None
    limiter: RateLimiter | None = None
    limit: tuple[int, int] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "limit", parse_rate(self.rate))
        if not callable(self.key) and self.key not in ("ip", "user"):
            raise ValueError(f"key must be 'ip', 'user' or a callable, not {self.key!r}")

    def decide(self, request: Any) -> Decision | None:
        """Count `request`; None when its key function exempts it."""
        subject = request_key(request, self.key)
        if subject is None:
            return None
        max_requests, window = self.limit
        limiter = self.limiter or RateLimiter(on_error=self.on_error)
        return limiter.check(f"{self.group}|{subject}", max_requests, window, self.algorithm)

    def refusal(self, decision: Decision) -> Any:
        """The 429 (over the limit) or 503 (store down, failing closed) answer, or None when allowed."""
        if decision.allowed:
            return None
        from django.http import JsonResponse

        if decision.backend_error:
            response = JsonResponse({"error": "Rate limiter unavailable"}, status=503)
        else:
            response = JsonResponse({"error": "Rate limit exceeded"}, status=429)
        response["Retry-After"] = str(max(1, math.ceil(decision.retry_after)))
        return response

    def add_headers(self, response: Any, decision: Decision) -> Any:
        """Set the `RateLimit-*` headers on `response` and return it."""
        response["RateLimit-Limit"] = str(decision.limit)
        response["RateLimit-Remaining"] = str(decision.remaining)
        response["RateLimit-Reset"] = str(math.ceil(decision.reset_after))
        response["RateLimit-Policy"] = f"{self.limit[0]};w={self.limit[1]}"
        return response
