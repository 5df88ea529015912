"""What the Stripe sandbox keeps beside its objects: declines queued by `fail_next_payment`, delivery settings,
and its delivery worker."""

from __future__ import annotations

from typing import Any

import attrs

from ..server import SandboxApp

DEFAULT_RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0)


def _delivery_defaults() -> dict[str, Any]:
    return {"shuffle": False, "duplicate": False, "retry_delays": list(DEFAULT_RETRY_DELAYS), "seed": None}


@attrs.define
class StripeState:
    """The next charges to decline (`{code, decline_code}` each), webhook delivery settings (`shuffle`,
    `duplicate`, `retry_delays`, `seed`) and the worker delivering them (started on first use)."""

    fail_next: list[dict[str, str]] = attrs.field(factory=list)
    delivery: dict[str, Any] = attrs.field(factory=_delivery_defaults)
    worker: Any = None
    clients: list[Any] = attrs.field(factory=list)

    def restore(self) -> None:
        """Back to boot settings; the worker keeps running."""
        self.fail_next.clear()
        self.delivery = _delivery_defaults()


def state_of(app: SandboxApp) -> StripeState:
    """The Stripe state of `app` (a TypeError for another API's app)."""
    if not isinstance(app.state, StripeState):
        raise TypeError(f"{app.api.name} is not the Stripe sandbox")
    return app.state
