"""The Stripe webhook endpoint: `Stripe-Signature` over the raw body (`STRIPE_WEBHOOK_SECRET`), per-type signals.

Include `path("integrations/", include("app_integrations.django.urls"))` (→ `/integrations/webhooks/stripe/`)
and register that URL as a webhook endpoint. Delivery order is not guaranteed and events are redelivered: handle
each event from its own `data.object`, and rely on the store-once rule rather than on order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.dispatch import Signal
from django.http import HttpResponseBase

from ..stripe import config
from ..stripe.webhooks import verify_request
from ..webhooks import WebhookRequest
from .signals import signals_for_stripe
from .webhook_views import WebhookView, text_field


class StripeWebhookView(WebhookView):
    """POST from Stripe; answers as every webhook view does (`app_integrations.django.webhook_views`)."""

    provider = "stripe"
    service = "Stripe"
    secret_setting = config.WEBHOOK_SECRET_SETTING
    logger_name = "app_integrations.stripe"

    def secrets(self) -> Sequence[str]:
        """`STRIPE_WEBHOOK_SECRET` (one, or several while rolling)."""
        return config.webhook_secrets()

    def verify(self, request: WebhookRequest, secrets: Sequence[str]) -> dict[str, Any]:
        """`Stripe-Signature`: timestamp within 5 minutes, any `v1` under any secret."""
        return verify_request(request, secrets)

    def event_id(self, request: WebhookRequest, payload: dict[str, Any]) -> str:
        """The event's `id` (`evt_...`)."""
        return text_field(payload, "id")

    def event_type(self, payload: dict[str, Any]) -> str:
        """The event's `type`."""
        return text_field(payload, "type")

    def extra_signals(self, event_type: str) -> tuple[Signal, ...]:
        """`stripe_event(event_type)`, when a receiver listens."""
        return signals_for_stripe(event_type)


stripe_webhook: Callable[..., HttpResponseBase] = StripeWebhookView.as_view()
