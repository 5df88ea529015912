"""The Twilio status-callback view: validate `X-Twilio-Signature`, store each report once, move the SMS forward.

The signature covers the URL Twilio requested, so the view must know the site's public URL. It is rebuilt from
`TWILIO_STATUS_CALLBACK_BASE_URL` (else `SITE_URL`), or, when `TWILIO_TRUST_FORWARDED_HEADERS` is on (behind a
proxy you run), from `X-Forwarded-Proto` / `X-Forwarded-Host` / `X-Forwarded-Port` with the host checked against
`ALLOWED_HOSTS`; never from the request's own Host header. Unsigned or mis-signed callbacks are refused with 403.
A report (message SID + status) is stored once; a replay or a late, lower status changes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import split_domain_port, validate_host
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..settings import flag, secret_list, setting
from ..twilio import config
from ..twilio.signatures import SETTINGS_HEADER, signature_algorithm, validate_signature
from .sms_records import apply_status
from .webhook_events import record_once

logger = logging.getLogger("app_integrations.twilio")
TRUST_FORWARDED_SETTING = "TWILIO_TRUST_FORWARDED_HEADERS"
EXTRA_TOKENS_SETTING = "TWILIO_WEBHOOK_AUTH_TOKENS"


def signing_tokens() -> list[str]:
    """`TWILIO_AUTH_TOKEN`, then any of `TWILIO_WEBHOOK_AUTH_TOKENS` (a secondary token while rotating, or the
    secret of a Twilio SharedKey the webhooks are signed with)."""
    main = str(setting(config.AUTH_TOKEN_SETTING) or "").strip()
    return [token for token in [main, *secret_list(EXTRA_TOKENS_SETTING)] if token]


def _first(value: str | None) -> str:
    return (value or "").split(",", 1)[0].strip()


def public_origin(request: HttpRequest) -> str | None:
    """`scheme://host[:port]` of this site as Twilio reaches it, or None when it cannot be known safely."""
    if flag(TRUST_FORWARDED_SETTING):
        proto = _first(request.headers.get("X-Forwarded-Proto")).lower()
        host = _first(request.headers.get("X-Forwarded-Host"))
        port = _first(request.headers.get("X-Forwarded-Port"))
        if proto in ("http", "https") and host:
            domain, given_port = split_domain_port(host)
            if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
                return None
            if port and not given_port and port.isdigit():
                host = f"{host}:{port}"
            return f"{proto}://{host}"
    base = config.callback_base_url()
    return base or None


@csrf_exempt
@require_POST
def twilio_status_callback(request: HttpRequest) -> HttpResponse:
    """POST from Twilio: 200 for a new or already-seen report, 403 for a missing or wrong signature."""
    tokens = signing_tokens()
    if not tokens:
        logger.error("Twilio callback refused: %s is not set", config.AUTH_TOKEN_SETTING)
        return JsonResponse({"error": "auth token not configured"}, status=503)
    origin = public_origin(request)
    if origin is None:
        logger.error("Twilio callback refused: set %s to this site's public URL", config.CALLBACK_BASE_URL_SETTING)
        return JsonResponse({"error": "public URL unknown"}, status=403)
    url = origin + request.get_full_path()
    is_json = request.content_type == "application/json"
    params: Any = None if is_json else request.POST
    signature = request.headers.get("X-Twilio-Signature")
    algorithm = signature_algorithm(request.headers.get(SETTINGS_HEADER))
    body = request.body if is_json else None
    if not validate_signature(url, params, signature, tokens, body=body, algorithm=algorithm):
        logger.warning("Twilio callback refused: %s signature", "missing" if not signature else "invalid")
        return JsonResponse({"error": "invalid signature"}, status=403)
    fields = _fields(request, is_json)
    sid, status = (
        fields.get("MessageSid") or fields.get("SmsSid"),
        fields.get("MessageStatus") or fields.get("SmsStatus"),
    )
    if not isinstance(sid, str) or not sid or not isinstance(status, str) or not status:
        return JsonResponse({"error": "MessageSid and MessageStatus are required"}, status=400)
    with transaction.atomic():
        created = record_once("twilio", f"{sid}:{status}", f"message.{status}", fields)
        updated = created and apply_status(sid, status, fields.get("ErrorCode"), fields.get("ErrorMessage"))
    return JsonResponse({"status": "success", "duplicate": not created, "updated": updated})


def _fields(request: HttpRequest, is_json: bool) -> dict[str, Any]:
    if is_json:
        import json

        try:
            value = json.loads(request.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    return {name: request.POST.get(name) for name in request.POST}
