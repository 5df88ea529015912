"""The Stripe webhook view: verify `Stripe-Signature` over the raw body, store the event once by its ID, signal it.

Mount it with `path("integrations/", include("app_integrations.django.urls"))` (→ `/integrations/webhooks/stripe/`)
and register that URL as a webhook endpoint. Delivery order is not guaranteed and events are redelivered: handle
each event from its own `data.object`, and rely on the store-once rule rather than on order.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..standard_webhooks import WebhookVerificationError
from ..stripe import config
from ..stripe.webhooks import MAX_BODY_BYTES, verify
from .signals import signals_for_stripe
from .webhook_events import record_once

logger = logging.getLogger("app_integrations.stripe")


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """POST from Stripe: 200 for a new or already-seen event, 400 for a bad signature (nothing stored)."""
    secrets = config.webhook_secrets()
    if not secrets:
        logger.error("Stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set")
        return JsonResponse({"error": "webhook secret not configured"}, status=503)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:
        logger.warning("Stripe webhook refused: body too large")
        return JsonResponse({"error": "invalid signature"}, status=400)
    try:
        event = verify(request.body, request.headers.get("Stripe-Signature"), secrets)
    except WebhookVerificationError as exc:
        logger.warning("Stripe webhook refused: %s", exc.reason)
        return JsonResponse({"error": "invalid signature"}, status=400)
    created = record_once("stripe", event["id"], event["type"], event, also=signals_for_stripe(event["type"]))
    return JsonResponse({"received": True, "duplicate": not created})
