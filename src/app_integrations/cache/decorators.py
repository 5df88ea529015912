"""`@rate_limited(key="ip"|"user"|callable, rate="100/h")`: a view answers 429 once its caller is over the rate.

Each decorated view has its own counters (the group defaults to the view's module and name), so a busy endpoint
does not use up another's limit. Sync and async views are both supported; for an async view the check runs in
a worker thread (`sync_to_async`), as redis-py's sync client blocks. See `policy` for the answers and headers.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Collection
from typing import Any, TypeVar

from .policy import HttpRateLimit, KeyFunction
from .rate_limit import Algorithm, OnError, RateLimiter

View = TypeVar("View", bound=Callable[..., Any])


def rate_limited(
    key: str | KeyFunction = "ip",
    rate: str = "100/h",
    *,
    group: str | None = None,
    methods: Collection[str] | None = None,
    algorithm: Algorithm = "fixed",
    on_error: OnError | None = None,
    limiter: RateLimiter | None = None,
) -> Callable[[View], View]:
    """Limit a Django view to `rate` requests per `key`.

    :param key: `"ip"`, `"user"`, or a callable `request -> str | None` (None exempts the request)
    :param rate: `"<count>/<period>"`, period `s`, `m`, `h`, `d`, optionally multiplied (`"5/10m"`)
    :param group: the counter's namespace (default: the view's qualified name); views sharing one share a limit
    :param methods: the HTTP methods counted (default: all)
    :param algorithm: `"fixed"` window or `"gcra"` (smooth)
    :param on_error: `"allow"` or `"deny"` (503) when Redis is unreachable (default: `RATE_LIMIT_ON_ERROR`)
    :param limiter: a `RateLimiter` on a client of your own (default: the configured cache's Redis)
    """
    counted = {method.upper() for method in methods} if methods else None

    def decorate(view: View) -> View:
        name = group or f"{view.__module__}.{view.__qualname__}"
        policy = HttpRateLimit(rate, key, name, algorithm, on_error, limiter)

        def decide(request: Any) -> Any:
            return None if counted is not None and request.method not in counted else policy.decide(request)

        if inspect.iscoroutinefunction(view):
            from asgiref.sync import sync_to_async

            @functools.wraps(view)
            async def async_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
                decision = await sync_to_async(decide, thread_sensitive=False)(request)
                if decision is None:
                    return await view(request, *args, **kwargs)
                response = policy.refusal(decision) or await view(request, *args, **kwargs)
                return policy.add_headers(response, decision)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            decision = decide(request)
            if decision is None:
                return view(request, *args, **kwargs)
            response = policy.refusal(decision) or view(request, *args, **kwargs)
            return policy.add_headers(response, decision)

        return wrapper  # type: ignore[return-value]

    return decorate
