"""The guide's Twilio shortcuts for a Django app: texts tracked in the `SMS` model, lookups, verification codes.

`send_sms` saves the row before sending and updates it with Twilio's SID or the failure; the status-callback URL
is `TWILIO_STATUS_CALLBACK_URL`, else `TWILIO_STATUS_CALLBACK_BASE_URL` (or `SITE_URL`) joined with the URL of
`app_integrations:twilio_status_callback`; when neither can be built the text is sent without one (logged), never
a crash. Errors are logged and returned as failure dicts, never raised.
"""

from __future__ import annotations

import logging
from typing import Any

from ...results import INVALID_ARGUMENT, NOT_FOUND, failure, log_failure
from ...settings import text
from ...shared_clients import shared
from ...twilio import config
from ...twilio.client import TwilioClient
from ...twilio.types import MessageStatusResult, PhoneNumberResult, SendSMSResult

logger: logging.Logger = logging.getLogger("app_integrations.twilio")
VERIFICATION_TEXT = "Your verification code is: {code}"


class SMSResult(SendSMSResult, total=False):
    """`send_sms` / `send_verification_code`: the client's result plus the `SMS` row's ID (when saved)."""

    sms_id: int | None


class SMSStatusResult(MessageStatusResult, total=False):
    """`get_sms_status`: the (refreshed) status, and `sms_data` from the row."""

    sms_id: int
    sms_data: dict[str, Any]


def status_callback_url() -> str | None:
    """Where Twilio should POST status updates, or None when settings and routing do not say."""
    explicit = text(config.STATUS_CALLBACK_URL_SETTING)
    if explicit:
        return explicit
    base = config.callback_base_url()
    if not base:
        return None
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("app_integrations:twilio_status_callback")
    except NoReverseMatch:
        logger.warning("Twilio status callbacks off: include app_integrations.django.urls to route them")
        return None
    return base + str(path)


def send_sms(to_number: str, body: str, from_number: str | None = None, save_to_db: bool = True) -> SMSResult:
    """Send a text; with `save_to_db` it is tracked in an `SMS` row (`sms_id` in the result) that callbacks update."""
    return _send_sms(to_number, body, from_number, save_to_db, body)


def _send_sms(to_number: str, body: str, from_number: str | None, save_to_db: bool, recorded_body: str) -> SMSResult:
    """`send_sms`, keeping `recorded_body` in the row (a verification code is a secret: its row never holds it)."""
    from ..models import SMS

    sms = None
    if save_to_db:
        sms = SMS.objects.create(
            to_number=str(to_number or "")[:32], from_number=str(from_number or "")[:32], body=str(recorded_body or "")
        )
    callback = status_callback_url() if save_to_db else None
    result: SMSResult = shared(TwilioClient).send_sms(
        to_number, body, from_number=from_number, status_callback=callback
    )  # type: ignore[assignment]
    if sms is not None:
        _record_send(sms, result)
    result["sms_id"] = sms.pk if sms is not None else None
    return result


def _record_send(sms: Any, result: SMSResult) -> None:
    from django.utils import timezone

    from ..models import SMS, WebhookEvent
    from ..sms_records import apply_status

    if result["success"]:
        data = result.get("data") or {}
        sms.external_id = result.get("sid", "")
        sms.status = result.get("status") or SMS.STATUS_QUEUED
        sms.from_number = str(data.get("from") or sms.from_number)[:32]
        sms.sent_at = timezone.now()
        sms.save(update_fields=["external_id", "status", "from_number", "sent_at", "modified_at"])
        # A callback may have come in before this row knew its SID: apply what was stored meanwhile.
        for event in WebhookEvent.objects.filter(provider="twilio", event_id__startswith=f"{sms.external_id}:"):
            payload = event.payload
            apply_status(sms.external_id, str(payload.get("MessageStatus")), payload.get("ErrorCode"))
        return
    sms.status = SMS.STATUS_FAILED
    sms.error_code = str(result.get("code", ""))[:32]
    sms.error_message = str(result.get("error", ""))
    sms.save(update_fields=["status", "error_code", "error_message", "modified_at"])


def verify_phone_number(phone_number: str) -> PhoneNumberResult:
    """Whether `phone_number` is valid (`result["valid"]`), with carrier and format."""
    return shared(TwilioClient).verify_phone_number(phone_number)


def send_verification_code(phone_number: str, code: str) -> SMSResult:
    """Text "Your verification code is: <code>" to `phone_number` (tracked like `send_sms`; the row's body has the
    code masked, so the database never holds a live code)."""
    value = str(code).strip() if isinstance(code, str | int) and not isinstance(code, bool) else ""
    if not value or len(value) > 20 or not value.isprintable():
        result = failure("code must be 1 to 20 printable characters", INVALID_ARGUMENT)
        log_failure(logger, "Twilio", "send_verification_code", result)
        return result  # type: ignore[return-value]
    return _send_sms(
        phone_number, VERIFICATION_TEXT.format(code=value), None, True, VERIFICATION_TEXT.format(code="******")
    )


def get_sms_status(sms_id: int) -> SMSStatusResult:
    """The status of the `SMS` row `sms_id`, refreshed from Twilio when it has a SID (moved forward only)."""
    from ..models import SMS
    from ..sms_records import apply_status

    sms = SMS.objects.filter(pk=sms_id).first() if isinstance(sms_id, int) and not isinstance(sms_id, bool) else None
    if sms is None:
        return failure(f"SMS with ID {sms_id} not found", NOT_FOUND)  # type: ignore[return-value]
    result: SMSStatusResult
    if sms.external_id:
        result = shared(TwilioClient).get_message_status(sms.external_id)  # type: ignore[assignment]
        if result["success"]:
            data = result.get("data") or {}
            apply_status(sms.external_id, result["status"], data.get("error_code"), data.get("error_message"))
            sms.refresh_from_db()
    else:
        errors = {"error_code": sms.error_code or None, "error_message": sms.error_message or None}
        result = {"success": True, "status": sms.status, "data": errors}
    if result["success"]:
        result["status"] = sms.status  # moved forward only, so the row holds the furthest status known
    result["sms_id"] = sms.pk
    result["sms_data"] = {
        "to_number": sms.to_number, "body": sms.body, "status": sms.status, "sent_at": sms.sent_at,
        "delivered_at": sms.delivered_at, "read_at": sms.read_at,
    }  # fmt: skip
    return result
