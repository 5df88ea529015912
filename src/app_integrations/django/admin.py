"""Admin pages: received webhook events, issued login links and sent texts, read-only (records, not settings)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.db import models

from .models import SMS, LoginToken, StripeCustomer, WebhookEvent

if TYPE_CHECKING:  # ModelAdmin is generic in django-stubs only: it cannot be subscripted at run time
    _ModelAdmin = admin.ModelAdmin[models.Model]
else:
    _ModelAdmin = admin.ModelAdmin


class ReadOnlyAdmin(_ModelAdmin):
    """Lists and shows rows; nobody edits a record of what happened."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        """Records are written by the integrations only."""
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        """Records are never edited."""
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    """Webhook events by provider and type."""

    list_display: tuple[str, ...] = ("provider", "event_type", "event_id", "received_at", "processed_at")
    list_filter: ClassVar[tuple[str, ...]] = ("provider", "event_type")
    search_fields: ClassVar[tuple[str, ...]] = ("event_id",)


@admin.register(LoginToken)
class LoginTokenAdmin(ReadOnlyAdmin):
    """Issued login links (the secret itself is never stored)."""

    list_display: tuple[str, ...] = ("user", "created_at", "expires_at", "used_at")
    exclude: ClassVar[tuple[str, ...]] = ("secret_hash",)


@admin.register(SMS)
class SMSAdmin(ReadOnlyAdmin):
    """Texts sent through Twilio, with their delivery status."""

    list_display: tuple[str, ...] = ("to_number", "status", "external_id", "error_code", "created_at", "delivered_at")
    list_filter: ClassVar[tuple[str, ...]] = ("status",)
    search_fields: ClassVar[tuple[str, ...]] = ("external_id", "to_number")


@admin.register(StripeCustomer)
class StripeCustomerAdmin(ReadOnlyAdmin):
    """Users and their Stripe customers."""

    list_display: tuple[str, ...] = ("user", "customer_id", "created_at")
    search_fields: ClassVar[tuple[str, ...]] = ("customer_id",)
