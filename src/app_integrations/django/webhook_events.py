"""Storing a verified webhook event exactly once and telling the app about it: shared by every provider's view."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import WebhookEvent
from .signals import webhook_received


def record_once(
    provider: str, event_id: str, event_type: str, payload: dict[str, Any], also: tuple[Signal, ...] = ()
) -> bool:
    """Store the event and signal it (`webhook_received`, then each of `also`); False (and nothing done) when it
    was stored before.

    The unique constraint decides, so two deliveries of one event racing each other store and signal it once.
    A receiver that raises rolls the row back and the exception propagates (the view answers 500: redeliver).
    """
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                provider=provider, event_id=event_id[:255], event_type=event_type[:255], payload=payload
            )
            webhook_received.send(
                sender=WebhookEvent, provider=provider, event_type=event_type, payload=payload, event=event
            )
            for signal in also:
                signal.send(sender=WebhookEvent, provider=provider, event_type=event_type, payload=payload, event=event)
            event.processed_at = timezone.now()
            event.save(update_fields=["processed_at"])
    except IntegrityError:
        if WebhookEvent.objects.filter(provider=provider, event_id=event_id[:255]).exists():
            return False
        raise
    return True
