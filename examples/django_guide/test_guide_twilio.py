"""The guide's Twilio blocks (28-44), as written, against the Twilio sandbox (Messages and Lookups)."""

import os
from collections.abc import Iterator
from typing import Any

import config.settings.third_party
import httpx
import pytest
from apps.common.models import SMS
from django.core.cache import cache
from django.test import Client, override_settings
from guide import GuideRunner

FROM_NUMBER = "+15005550006"


class Phones:
    """The project pointed at the Twilio sandbox, and what the sandbox's Messages API holds."""

    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        self.http = httpx.Client(
            base_url=f"{sandbox.url}/2010-04-01/Accounts/{sandbox.account_sid}",
            auth=(sandbox.account_sid, sandbox.auth_token),
        )

    def texts_to(self, number: str) -> list[str]:
        """The bodies of the messages sent to `number`, newest first."""
        response = self.http.get("/Messages.json", params={"To": number})
        response.raise_for_status()
        return [message["body"] for message in response.json()["messages"]]

    def last_code(self, number: str) -> str:
        """The six-digit code in the newest text to `number`."""
        return self.texts_to(number)[0].rsplit(" ", 1)[1]


@pytest.fixture
def phones(twilio_sandbox: Any) -> Iterator[Phones]:
    """Twilio configured to the sandbox (its Lookups too), and an empty cache."""
    cache.clear()
    with override_settings(
        TWILIO_ENABLED=True,
        TWILIO_ACCOUNT_SID=twilio_sandbox.account_sid,
        TWILIO_AUTH_TOKEN=twilio_sandbox.auth_token,
        TWILIO_PHONE_NUMBER=FROM_NUMBER,
        TWILIO_BASE_URL=twilio_sandbox.url,
        TWILIO_LOOKUPS_BASE_URL=twilio_sandbox.url,
        SITE_URL="http://testserver",
    ):
        twilio = Phones(twilio_sandbox)
        yield twilio
        twilio.http.close()
    cache.clear()


@pytest.mark.guide(28)
def test_the_settings_block(guide: GuideRunner, monkeypatch: Any) -> None:
    monkeypatch.setenv("TWILIO_ENABLED", "True")
    monkeypatch.setenv("TWILIO_PHONE_NUMBER", FROM_NUMBER)
    guide.run(28, os=os)
    assert guide.namespace["TWILIO_ENABLED"] is True and guide.namespace["TWILIO_PHONE_NUMBER"] == FROM_NUMBER
    assert guide.missing_from(28, config.settings.third_party) == []


@pytest.mark.guide(29, 30, 31, 32)
def test_the_client_blocks(guide: GuideRunner, phones: Phones) -> None:
    guide.run(29)
    assert guide.run(30).startswith("Error: ")  # the guide's "your_account_sid" is not an account
    guide.namespace["client"] = guide.namespace["TwilioClient"]()  # "Initialize with default settings"
    printed = guide.run(30)
    sid = guide.namespace["message_sid"]
    assert printed == f"SMS sent with SID: {sid}\n" and sid.startswith("SM")
    assert phones.texts_to("+12125551234") == ["Your verification code is: 123456"]

    assert guide.run(31).startswith("Valid number on ")
    assert guide.namespace["result"]["valid"] is True

    assert guide.run(32) == ""  # the guide's "SM1234567890" is not a message SID (SM + 32 hex digits)
    assert guide.namespace["result"]["success"] is False and guide.namespace["result"]["code"] == "invalid_argument"


@pytest.mark.guide(33, 34, 39, 40)
def test_the_send_sms_and_status_shortcut_blocks(guide: GuideRunner, phones: Phones) -> None:
    guide.run(33, to_number="+14155550100", body="Your table is ready")
    first = SMS.objects.get(pk=guide.namespace["result"]["sms_id"])
    assert first.external_id.startswith("SM") and first.body == "Your table is ready"

    guide.run(34)
    sms_id = guide.namespace["sms_id"]
    shipped = SMS.objects.get(pk=sms_id)
    assert shipped.body == "Your order has been shipped!" and shipped.to_number == "+12125551234"

    phones.sandbox.advance_message(shipped.external_id, to="delivered")
    guide.run(39, sms_id=sms_id)
    assert guide.namespace["result"]["status"] == "delivered"

    SMS.objects.create(pk=123, to_number="+14155550100", body="row 123", external_id=first.external_id)
    phones.sandbox.fail_message(first.external_id, status="undelivered")
    assert guide.run(40) == "SMS status: undelivered\n"


@pytest.mark.guide(35, 36)
def test_the_verify_phone_number_shortcut_blocks(guide: GuideRunner, phones: Phones) -> None:
    guide.run(35, phone_number="+44 20 7946 0000")  # not E.164
    assert guide.namespace["result"]["success"] is False
    assert guide.run(36) == "Phone number is valid\n"


@pytest.mark.guide(37, 38)
def test_the_send_verification_code_blocks(guide: GuideRunner, phones: Phones) -> None:
    guide.run(37, phone_number="+14155550101", code="424242")
    assert phones.texts_to("+14155550101") == ["Your verification code is: 424242"]

    browser = Client()
    with guide.urls({"verify/": guide.view(38)}):
        assert browser.get("/verify/").status_code == 204
    texted = phones.last_code("+12125551234")
    assert browser.session["verification_code"] == texted == guide.view_locals[38]["code"]
    assert browser.session["phone_number"] == "+12125551234"


@pytest.mark.guide(41, 42)
def test_the_phone_verification_flow_blocks(guide: GuideRunner, phones: Phones) -> None:
    guide.run(41)
    guide.run(42)
    initiate, verify, allowed = (
        guide.namespace[name]
        for name in ("initiate_phone_verification", "verify_phone_code", "check_verification_rate_limit")
    )
    phone = "+14155550123"
    assert initiate("not a number") == {"success": False, "error": "Invalid phone number"}
    started = initiate(phone)
    assert started["success"] is True and SMS.objects.filter(pk=started["sms_id"]).exists()
    code = phones.last_code(phone)
    wrong = "000000" if code != "000000" else "111111"
    assert verify(phone, wrong) == {"success": False, "error": "Invalid code"}
    assert verify(phone, code) == {"success": True, "verified": True}
    assert verify(phone, code) == {"success": False, "error": "Code expired or not found"}  # used once

    assert allowed(phone) is True
    for _ in range(3):
        assert initiate(phone)["success"] is True
    assert allowed(phone) is False  # three codes this hour


@pytest.mark.guide(43)
def test_the_status_callback_view_block(guide: GuideRunner, phones: Phones) -> None:
    guide.run(43, SMS=SMS)  # the reader's views module imports the model; the block uses it
    from apps.integration.twilio.shortcuts import send_sms

    sent = send_sms(to_number="+12125551234", body="On its way")
    sid = SMS.objects.get(pk=sent["sms_id"]).external_id
    with guide.urls({"webhooks/twilio/": guide.namespace["twilio_status_callback"]}):
        answer = Client().post("/webhooks/twilio/", {"MessageSid": sid, "MessageStatus": "delivered"})
        unknown = Client().post("/webhooks/twilio/", {"MessageSid": "SMnope", "MessageStatus": "failed"})
    assert answer.status_code == unknown.status_code == 200 and answer.json() == {"status": "success"}
    assert SMS.objects.get(pk=sent["sms_id"]).status == "delivered"


@pytest.mark.guide(44)
def test_the_setup_check_block(guide: GuideRunner, phones: Phones) -> None:
    printed = guide.run(44)
    result = guide.namespace["result"]
    assert (printed, result["success"]) == ("", False)  # "+1234567890" is the guide's placeholder, not a number
    assert result["code"] == "21211" and "+1234567890" in result["error"]
    assert SMS.objects.get().status == "failed"  # the row records the refusal
