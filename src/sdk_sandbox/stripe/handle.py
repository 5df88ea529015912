"""The Stripe sandbox's test handle: checkout, triggers, the clock, declines, aliases and webhook deliveries."""

from __future__ import annotations

import time
from typing import Any

from ..handle import SandboxHandle


class StripeHandle(SandboxHandle):
    """The Stripe sandbox's test handle: checkout, triggers, the clock, declines, aliases and webhook deliveries."""

    def complete_checkout(self, session_id: str, card_number: str = "4242424242424242", **fields: Any) -> Any:
        """Pay an open Checkout Session (as the hosted page does); `{session, redirect, events}`."""
        return self.control(
            "POST", f"/sandbox/stripe/checkout/{session_id}/complete", {"card_number": card_number, **fields}
        )

    def trigger(self, event: str) -> Any:
        """What `stripe trigger <event>` does; `{created, events}`."""
        return self.control("POST", "/sandbox/stripe/trigger", {"event": event})

    def advance(self, days: float = 0, seconds: float = 0) -> Any:
        """Move the clock forward and run trials, renewals and period-end cancels; `{now, events}`."""
        return self.control("POST", "/sandbox/stripe/advance", {"days": days, "seconds": seconds})

    def fail_next_payment(self, count: int = 1, **options: Any) -> None:
        """Decline the next `count` charges (`code`, `decline_code`)."""
        self.control("POST", "/sandbox/stripe/fail_next_payment", {"count": count, **options})

    def alias(self, alias: str, object_id: str) -> dict[str, Any]:
        """Let `alias` (a guide's placeholder ID, `cus_1234567890`) name the object `object_id`."""
        answer: dict[str, Any] = self.control("POST", "/sandbox/stripe/aliases", {"alias": alias, "id": object_id})
        return answer

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        """The webhook deliveries so far (`event_id`, `status` filters)."""
        response = self._control.get("/sandbox/stripe/deliveries", params=filters)
        response.raise_for_status()
        rows: list[dict[str, Any]] = response.json()["deliveries"]
        return rows

    def delivery_settings(self, **settings: Any) -> Any:
        """`shuffle`, `duplicate`, `seed`, `retry_delays` of webhook delivery."""
        return self.control("PUT", "/sandbox/stripe/delivery", settings)

    def wait_for_deliveries(self, timeout: float = 20.0) -> list[dict[str, Any]]:
        """Wait until no delivery is pending (each succeeded or gave up), then return them all."""
        deadline = time.monotonic() + timeout
        while True:
            rows = self.deliveries()
            if not any(row["status"] == "pending" for row in rows) or time.monotonic() > deadline:
                return rows
            time.sleep(0.05)
