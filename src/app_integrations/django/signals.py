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

webhook_received = Signal()
"""Sent once per verified, first-seen webhook event: `provider`, `event_type`, `payload`, `event` (the row)."""
