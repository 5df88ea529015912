"""`RateLimitMiddleware`: one rate for every request of the site, from settings.

Settings: `RATE_LIMIT_RATE` (e.g. `"1000/h"`; unset disables the middleware), `RATE_LIMIT_KEY` (`"ip"` or
`"user"`, default `"ip"`; put the middleware after `AuthenticationMiddleware` for `"user"`),
`RATE_LIMIT_EXEMPT_PATHS` (path prefixes not counted, e.g. health checks), `RATE_LIMIT_ALGORITHM`
(`"fixed"` or `"gcra"`), and the shared `RATE_LIMIT_ON_ERROR` / `RATE_LIMIT_TRUSTED_PROXIES`. Answers as the
decorator does (see `policy`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..settings import setting, text
from .policy import HttpRateLimit


class RateLimitMiddleware:
    """Counts each request against `RATE_LIMIT_RATE` per client; over the rate, answers 429 without the view."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        from django.core.exceptions import MiddlewareNotUsed

        rate = text("RATE_LIMIT_RATE")
        if not rate:
            raise MiddlewareNotUsed("RATE_LIMIT_RATE is not set")
        self.get_response = get_response
        self.policy: HttpRateLimit = HttpRateLimit(
            rate,
            text("RATE_LIMIT_KEY", None, "ip"),
            "site",
            text("RATE_LIMIT_ALGORITHM", None, "fixed"),  # type: ignore[arg-type]
        )
        exempt = setting("RATE_LIMIT_EXEMPT_PATHS", None, ())
        self.exempt: tuple[str, ...] = tuple(exempt.split(",") if isinstance(exempt, str) else exempt)

    def __call__(self, request: Any) -> Any:
        """Check, then answer the refusal or the view's response, with the `RateLimit-*` headers."""
        if self.exempt and request.path.startswith(self.exempt):
            return self.get_response(request)
        decision = self.policy.decide(request)
        if decision is None:
            return self.get_response(request)
        response = self.policy.refusal(decision) or self.get_response(request)
        return self.policy.add_headers(response, decision)
