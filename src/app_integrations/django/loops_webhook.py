"""The Loops webhook view: verify the Standard Webhooks signature, store the event once, signal it."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..loops import config
from ..standard_webhooks import WebhookVerificationError, verify
from .webhook_events import record_once

logger = logging.getLogger("app_integrations.loops")


webhook_secrets = config.webhook_secrets


@csrf_exempt
@require_POST
def loops_webhook(request: HttpRequest) -> HttpResponse:
    """POST from Loops: 200 for a new or already-seen event, 400 for a bad signature (nothing stored)."""
    secrets = webhook_secrets()
    if not secrets:
        logger.error("Loops webhook refused: LOOPS_WEBHOOK_SECRET is not set")
        return JsonResponse({"error": "webhook secret not configured"}, status=503)
    try:
        payload = verify(request.body, request.headers, secrets)
    except WebhookVerificationError as exc:
        logger.warning("Loops webhook refused: %s", exc.reason)
        return JsonResponse({"error": "invalid signature"}, status=400)
    event_type = payload.get("eventName")
    if not isinstance(event_type, str) or not event_type:
        return JsonResponse({"error": "eventName missing"}, status=400)
    created = record_once("loops", request.headers["webhook-id"], event_type, payload)
    return JsonResponse({"received": True, "duplicate": not created})
