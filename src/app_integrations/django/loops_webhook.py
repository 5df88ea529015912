"""The Loops webhook endpoint: Standard Webhooks signatures (`LOOPS_WEBHOOK_SECRET`), events named `eventName`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpResponseBase

from ..loops import config
from ..standard_webhooks import verify_request
from ..webhooks import WebhookRequest
from .webhook_views import InvalidEvent, WebhookView, text_field

webhook_secrets: Callable[[], list[str]] = config.webhook_secrets


class LoopsWebhookView(WebhookView):
    """POST from Loops; answers as every webhook view does (`app_integrations.django.webhook_views`)."""

    provider = "loops"
    service = "Loops"
    secret_setting = config.WEBHOOK_SECRET_SETTING
    logger_name = "app_integrations.loops"

    def secrets(self) -> Sequence[str]:
        """`LOOPS_WEBHOOK_SECRET` (one, or several while rotating)."""
        return config.webhook_secrets()

    def verify(self, request: WebhookRequest, secrets: Sequence[str]) -> dict[str, Any]:
        """Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`."""
        return verify_request(request, secrets)

    def event_id(self, request: WebhookRequest, payload: dict[str, Any]) -> str:
        """The `webhook-id` header (stable across Loops' retries)."""
        value = request.header("webhook-id")
        if not value:
            raise InvalidEvent("webhook-id missing")
        return value

    def event_type(self, payload: dict[str, Any]) -> str:
        """`eventName` (`email.delivered`, `contact.unsubscribed`, ...)."""
        return text_field(payload, "eventName")


loops_webhook: Callable[..., HttpResponseBase] = LoopsWebhookView.as_view()
