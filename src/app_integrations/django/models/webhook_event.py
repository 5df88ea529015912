"""A webhook event received from a provider, stored once by its ID so that redelivery is a no-op."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.db import models


class WebhookEvent(models.Model):
    """One verified webhook event (Loops, Stripe, ...).

    `(provider, event_id)` is unique: the database, not a read-then-write check, decides that a redelivered or
    concurrently delivered event is stored, and so processed, exactly once.
    """

    provider: models.CharField[str, str] = models.CharField(max_length=32)
    event_id: models.CharField[str, str] = models.CharField(max_length=255)
    event_type: models.CharField[str, str] = models.CharField(max_length=255, db_index=True)
    payload: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField()
    received_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now_add=True)
    processed_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "app_integrations"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="unique_webhook_event")
        ]
        ordering: ClassVar[list[str]] = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_type} {self.event_id}"
