"""One text message sent through Twilio, and what Twilio has told us about it since."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.db import models


class SMS(models.Model):
    """A text message: saved before it is sent, then updated with Twilio's SID or the failure, then by callbacks.

    `status` is Twilio's message status (`queued` ... `delivered`), or `pending` before the send and `failed` when
    sending failed (then `error_code` is Twilio's code or ours, such as `outcome_unknown`). Status callbacks only
    ever move a message forward: a late `sent` never overwrites `delivered`.
    """

    STATUS_PENDING = "pending"
    STATUS_QUEUED = "queued"
    STATUS_SENDING = "sending"
    STATUS_SENT = "sent"
    STATUS_DELIVERED = "delivered"
    STATUS_UNDELIVERED = "undelivered"
    STATUS_FAILED = "failed"
    STATUS_READ = "read"

    to_number: models.CharField[str, str] = models.CharField(max_length=32)
    from_number: models.CharField[str, str] = models.CharField(max_length=32, blank=True, default="")
    body: models.TextField[str, str] = models.TextField()
    external_id: models.CharField[str, str] = models.CharField(
        max_length=64, blank=True, default="", help_text="Twilio's message SID"
    )
    status: models.CharField[str, str] = models.CharField(max_length=24, default=STATUS_PENDING)
    error_code: models.CharField[str, str] = models.CharField(max_length=32, blank=True, default="")
    error_message: models.TextField[str, str] = models.TextField(blank=True, default="")
    sent_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(null=True, blank=True)
    delivered_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(null=True, blank=True)
    read_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(null=True, blank=True)
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now_add=True)
    modified_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "app_integrations"
        verbose_name = "SMS"
        verbose_name_plural = "SMS"
        ordering: ClassVar[list[str]] = ["-created_at"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["external_id"], name="sms_external_id_idx")]

    def __str__(self) -> str:
        return f"SMS to {self.to_number} ({self.status})"
