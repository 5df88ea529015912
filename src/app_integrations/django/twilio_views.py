"""The Twilio status-callback view: validate `X-Twilio-Signature`, store each report once, move the SMS forward.

The signature covers the URL Twilio requested, so the view must know the site's public URL. It is rebuilt from
`TWILIO_STATUS_CALLBACK_BASE_URL` (else `SITE_URL`), or, when `TWILIO_TRUST_FORWARDED_HEADERS` is on (behind a
proxy you run), from `X-Forwarded-Proto` / `X-Forwarded-Host` / `X-Forwarded-Port` with the host checked against
`ALLOWED_HOSTS`; never from the request's own Host header. Unsigned or mis-signed callbacks are refused with 400,
as every webhook view refuses them.
A report (message SID + status) is stored once; a replay or a late, lower status changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.http.request import split_domain_port, validate_host

from ..settings import flag, secret_list, setting
from ..twilio import config
from ..twilio.signatures import verify_request
from ..webhooks import WebhookRequest, WebhookVerificationError
from .sms_records import apply_status
from .webhook_views import WebhookView, text_field

logger: logging.Logger = logging.getLogger("app_integrations.twilio")
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


class TwilioStatusCallbackView(WebhookView):
    """POST from Twilio; answers as every webhook view does (`app_integrations.django.webhook_views`), with
    `updated` added: whether the report moved the `SMS` row forward."""

    provider = "twilio"
    service = "Twilio"
    secret_setting = config.AUTH_TOKEN_SETTING
    logger_name = "app_integrations.twilio"

    def secrets(self) -> Sequence[str]:
        """The auth token, then `TWILIO_WEBHOOK_AUTH_TOKENS`."""
        return signing_tokens()

    def configuration_problem(self, secrets: Sequence[str]) -> str | None:
        """No token, or no public URL to check the signature over."""
        if not secrets:
            return f"{config.AUTH_TOKEN_SETTING} is not set"
        if not flag(TRUST_FORWARDED_SETTING) and not config.callback_base_url():
            return f"{config.CALLBACK_BASE_URL_SETTING} (or SITE_URL) is not set to this site's public URL"
        return None

    def public_url(self, request: HttpRequest) -> str:
        """The configured origin (or trusted forwarded headers) joined with the path Twilio requested."""
        origin = public_origin(request)
        if origin is None:
            raise WebhookVerificationError("the public URL cannot be known safely (forwarded host not allowed)")
        return origin + str(request.get_full_path())

    def verify(self, request: WebhookRequest, secrets: Sequence[str]) -> dict[str, Any]:
        """`X-Twilio-Signature` over the public URL and the form fields (or a JSON body's `bodySHA256`)."""
        return verify_request(request, secrets)

    def event_id(self, request: WebhookRequest, payload: dict[str, Any]) -> str:
        """One report: the message SID and the status it reports."""
        return f"{text_field(payload, 'MessageSid', 'SmsSid')}:{self.event_type(payload).removeprefix('message.')}"

    def event_type(self, payload: dict[str, Any]) -> str:
        """`message.<status>`."""
        return f"message.{text_field(payload, 'MessageStatus', 'SmsStatus')}"

    def on_recorded(self, payload: dict[str, Any], created: bool) -> dict[str, Any]:
        """Move the `SMS` row forward (a first-seen report only)."""
        sid = text_field(payload, "MessageSid", "SmsSid")
        status = text_field(payload, "MessageStatus", "SmsStatus")
        updated = created and apply_status(sid, status, payload.get("ErrorCode"), payload.get("ErrorMessage"))
        return {"updated": updated}


twilio_status_callback: Callable[..., HttpResponseBase] = TwilioStatusCallbackView.as_view()
