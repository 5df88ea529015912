"""Signals the integrations send; connect a receiver to act on provider events.

    from django.dispatch import receiver
    from app_integrations.django.signals import webhook_received

    @receiver(webhook_received)
    def on_event(sender, provider, event_type, payload, event, **kwargs):
        if provider == "loops" and event_type == "email.hardBounced":
            ...

Receivers run inside the transaction that stores the event: if one raises, the event is not stored and the
provider is answered 500, so it delivers the event again later.
"""

from __future__ import annotations

from django.dispatch import Signal

_STRIPE_SIGNALS: dict[str, Signal] = {}

webhook_received: Signal = Signal()
"""Sent once per verified, first-seen webhook event: `provider`, `event_type`, `payload`, `event` (the row)."""


def stripe_event(event_type: str) -> Signal:
    """The signal of one Stripe event type, sent once per first-seen event of that type (`event`, `payload`).

    ```python
    @receiver(stripe_event("checkout.session.completed"))
    def paid(sender, payload, event, **kwargs):
        session = payload["data"]["object"]
    ```
    """
    return _STRIPE_SIGNALS.setdefault(event_type, Signal())


def signals_for_stripe(event_type: str) -> tuple[Signal, ...]:
    """The per-type signal to send for an event, if any receiver listens (none are created for unknown types)."""
    found = _STRIPE_SIGNALS.get(event_type)
    return (found,) if found is not None else ()
