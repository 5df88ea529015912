"""What the Loops sandbox keeps beside its tables: the team's settings, its rate limit, the outcomes set per
recipient, and its webhook deliverer."""

from __future__ import annotations

import threading
import time
from typing import Any

import attrs

from ..server import Admission, SandboxApp
from .webhooks import Deliverer

DEFAULT_RATE_LIMIT = 10


@attrs.define
class RateLimiter:
    """A fixed window of `limit` requests per `window` seconds for the sandbox's one team; `enabled` False lets all."""

    limit: int = DEFAULT_RATE_LIMIT
    window: float = 1.0
    enabled: bool = True
    _started: float = 0.0
    _count: int = 0
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    def admit(self) -> Admission:
        """Count one request: whether it may be served, and the `x-ratelimit-*` headers of its response."""
        with self._lock:
            now = time.monotonic()
            if now - self._started >= self.window:
                self._started, self._count = now, 0
            allowed = not self.enabled or self._count < self.limit
            if allowed and self.enabled:
                self._count += 1
            remaining = max(self.limit - self._count, 0) if self.enabled else self.limit
        return allowed, {"x-ratelimit-limit": str(self.limit), "x-ratelimit-remaining": str(remaining)}

    def configure(self, limit: int, window: float, enabled: bool) -> None:
        """New settings, starting a fresh window."""
        with self._lock:
            self.limit, self.window, self.enabled = limit, window, enabled
            self._started, self._count = 0.0, 0

    def public(self) -> dict[str, Any]:
        """The settings as the control endpoint answers them."""
        return {"limit": self.limit, "windowSeconds": self.window, "enabled": self.enabled}


def _account() -> dict[str, Any]:
    return {"teamName": "Sandbox Team", "attachmentsEnabled": False}


@attrs.define
class LoopsState:
    """The team (`teamName`, `attachmentsEnabled`), its rate limit, the delivery outcome set per recipient
    address (`delivered`, `hardBounced`, ...), and the webhook deliverer."""

    webhooks: Deliverer
    account: dict[str, Any] = attrs.field(factory=_account)
    rate_limit: RateLimiter = attrs.field(factory=RateLimiter)
    recipients: dict[str, str] = attrs.field(factory=dict)

    def restore(self) -> None:
        """Boot state: the default team, attachments off, 10 requests/s, no recipient outcomes, no endpoint."""
        self.account, self.rate_limit, self.recipients = _account(), RateLimiter(), {}
        self.webhooks.reset()


def state_of(app: SandboxApp) -> LoopsState:
    """The Loops state of `app` (a TypeError for another API's app)."""
    if not isinstance(app.state, LoopsState):
        raise TypeError(f"{app.api.name} is not the Loops sandbox")
    return app.state
