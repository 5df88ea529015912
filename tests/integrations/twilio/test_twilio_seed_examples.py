"""Seed 002's Twilio code blocks, copied as written, run against the Twilio sandbox (through examples/django_project,
whose `apps.integration.twilio` re-exports `app_integrations.twilio`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle

PROJECT = Path(__file__).resolve().parents[3] / "examples" / "django_project"

CLIENT = """
from apps.integration.twilio.client import TwilioClient

# Initialize with default settings
client = TwilioClient()

# Or with custom credentials
client = TwilioClient(
    account_sid="your_account_sid",
    auth_token="your_auth_token",
    from_number="+1234567890"
)
"""
SEND = """
result = client.send_sms(
    to_number="+12125551234",
    body="Your verification code is: 123456",
    status_callback="https://example.com/webhooks/twilio/"
)

if result["success"]:
    message_sid = result["sid"]
    print(f"SMS sent with SID: {message_sid}")
else:
    print(f"Error: {result['error']}")
"""
VERIFY = """
result = client.verify_phone_number("+12125551234")

if result["success"] and result["valid"]:
    carrier = result["data"]["carrier"]
    print(f"Valid number on {carrier['name']}")
else:
    print("Invalid phone number")
"""
STATUS = """
result = client.get_message_status("SM1234567890")

if result["success"]:
    status = result["status"]
    print(f"Message status: {status}")

    if status == "failed":
        error_code = result["data"]["error_code"]
        error_message = result["data"]["error_message"]
        print(f"Error {error_code}: {error_message}")
"""
SHORTCUT_SEND = """
from apps.integration.twilio.shortcuts import send_sms

result = send_sms(
    to_number="+12125551234",
    body="Your order has been shipped!"
)

if result["success"]:
    sms_id = result["sms_id"]
    # Store sms_id for status tracking
"""
SHORTCUT_VERIFY = """
from apps.integration.twilio.shortcuts import verify_phone_number

phone = "+12125551234"
result = verify_phone_number(phone)

if result["success"] and result["valid"]:
    print("Phone number is valid")
else:
    print("Invalid phone number")
"""
SHORTCUT_STATUS = """
from apps.integration.twilio.shortcuts import get_sms_status

result = get_sms_status(123)

if result["success"]:
    status = result["status"]
    print(f"SMS status: {status}")
"""
FLOW = '''
import random
from django.core.cache import cache
from apps.integration.twilio.shortcuts import send_verification_code, verify_phone_number

def initiate_phone_verification(phone_number):
    """Step 1: Send verification code to phone number"""

    # Validate phone number format first
    validation = verify_phone_number(phone_number)
    if not validation.get("valid"):
        return {"success": False, "error": "Invalid phone number"}

    # Generate 6-digit code
    code = f"{random.randint(100000, 999999)}"

    # Send code via SMS
    result = send_verification_code(phone_number, code)

    if result["success"]:
        # Store code in cache with 10 minute expiration
        cache_key = f"phone_verification:{phone_number}"
        cache.set(cache_key, code, timeout=600)

        # Track verification attempts to prevent abuse
        attempts_key = f"verification_attempts:{phone_number}"
        attempts = cache.get(attempts_key, 0)
        cache.set(attempts_key, attempts + 1, timeout=3600)

        return {"success": True, "sms_id": result.get("sms_id")}

    return {"success": False, "error": result.get("error")}

def verify_phone_code(phone_number, user_code):
    """Step 2: Verify the code entered by user"""

    # Get stored code from cache
    cache_key = f"phone_verification:{phone_number}"
    stored_code = cache.get(cache_key)

    if not stored_code:
        return {"success": False, "error": "Code expired or not found"}

    if stored_code == user_code:
        # Code is valid, delete from cache
        cache.delete(cache_key)

        # Clear verification attempts
        cache.delete(f"verification_attempts:{phone_number}")

        return {"success": True, "verified": True}
    else:
        return {"success": False, "error": "Invalid code"}
'''
TEST_STEP = """
from apps.integration.twilio.shortcuts import send_sms

result = send_sms(
    to_number="+1234567890",  # Your verified phone number
    body="Test message from Django!"
)

if result["success"]:
    print("SMS sent successfully!")
"""


@pytest.fixture
def seed(twilio_sandbox: SandboxHandle, sms_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """The seed's settings (environment variables as its `.env` block names them) pointed at the sandbox."""
    from django.test import override_settings

    monkeypatch.syspath_prepend(str(PROJECT))
    for name, value in {
        "TWILIO_ENABLED": "true", "TWILIO_ACCOUNT_SID": twilio_sandbox.account_sid,
        "TWILIO_AUTH_TOKEN": twilio_sandbox.auth_token, "TWILIO_PHONE_NUMBER": "+15005550006",
        "TWILIO_BASE_URL": twilio_sandbox.url,
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    with override_settings(TWILIO_STATUS_CALLBACK_BASE_URL="https://app.example.com"):
        yield {}
    for name in [n for n in sys.modules if n == "apps" or n.startswith("apps.")]:
        del sys.modules[name]


def test_the_client_examples(seed: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    exec(CLIENT, seed)  # noqa: S102  (the seed's own code)
    assert not seed["client"].configured  # "your_account_sid" is not an Account SID: a failure dict, not a crash
    exec("client = TwilioClient()", seed)  # noqa: S102
    for block in (SEND, VERIFY, STATUS):
        exec(block, seed)  # noqa: S102
    out = capsys.readouterr().out
    assert "SMS sent with SID: SM" in out and "Valid number on " in out
    assert "Message status" not in out  # "SM1234567890" is not a message SID: a failure, as the guide's else


def test_the_shortcut_examples(seed: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    for block in (SHORTCUT_SEND, SHORTCUT_VERIFY, SHORTCUT_STATUS, TEST_STEP):
        exec(block, seed)  # noqa: S102  (the seed's own code)
    assert isinstance(seed["sms_id"], int)
    out = capsys.readouterr().out
    assert "Phone number is valid" in out
    assert "SMS sent successfully!" not in out  # +1234567890 is no real number: Twilio's 21211, a failure dict


def test_the_phone_verification_flow(seed: dict[str, Any]) -> None:
    from django.core.cache import cache

    exec(FLOW, seed)  # noqa: S102  (the seed's own code)
    started = seed["initiate_phone_verification"]("+12125551234")
    assert started["success"] is True and isinstance(started["sms_id"], int)
    code = cache.get("phone_verification:+12125551234")
    assert seed["verify_phone_code"]("+12125551234", "000000" if code != "000000" else "111111")["success"] is False
    assert seed["verify_phone_code"]("+12125551234", code) == {"success": True, "verified": True}
    assert seed["initiate_phone_verification"]("+1234567890") == {"success": False, "error": "Invalid phone number"}
