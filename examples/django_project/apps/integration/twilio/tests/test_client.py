"""Seed 002's Twilio blocks with the template's import paths, against the Twilio sandbox."""

import contextlib
import io
from typing import Any

from django.test import override_settings

SEND_BLOCK = """
from apps.integration.twilio.shortcuts import send_sms

result = send_sms(
    to_number="+12125551234",
    body="Your order has been shipped!"
)

if result["success"]:
    sms_id = result["sms_id"]
    # Store sms_id for status tracking
"""


def run(block: str, namespace: dict[str, Any]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(block, namespace)
    return out.getvalue()


def test_send_sms_block_saves_the_row_and_reaches_delivered(twilio_sandbox: Any) -> None:
    from apps.common.models import SMS

    namespace: dict[str, Any] = {}
    with override_settings(
        TWILIO_ENABLED=True,
        TWILIO_ACCOUNT_SID=twilio_sandbox.account_sid,
        TWILIO_AUTH_TOKEN=twilio_sandbox.auth_token,
        TWILIO_PHONE_NUMBER="+15005550006",
        TWILIO_BASE_URL=twilio_sandbox.url,
    ):
        run(SEND_BLOCK, namespace)
        sms = SMS.objects.get(pk=namespace["sms_id"])
        assert sms.external_id.startswith("SM") and sms.body == "Your order has been shipped!"
        twilio_sandbox.advance_message(sms.external_id, to="delivered")
        from apps.integration.twilio.shortcuts import get_sms_status

        status = get_sms_status(sms.pk)
    assert status["success"] and status["status"] == "delivered"
