"""Seed 002's Twilio shortcuts and the status-callback view: the SMS row saved, updated by signed callbacks from the
sandbox over real HTTP, and every unsigned, mis-signed, forged or replayed callback refused or a no-op."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from app_integrations.twilio.signatures import body_hash, compute_signature
from sdk_sandbox.pytest_plugin import SandboxHandle

from ...middleware.servers import waitress_server

SENDER = "+15005550006"
MOBILE = "+12125551234"
PUBLIC = "https://app.example.com"
PATH = "/integrations/webhooks/twilio/"


@pytest.fixture
def twilio_settings(twilio_sandbox: SandboxHandle, sms_db: None) -> Iterator[SandboxHandle]:
    """Django settings pointing Twilio at the sandbox, with this site's public URL for callbacks."""
    from django.test import override_settings

    with override_settings(
        TWILIO_ENABLED=True,
        TWILIO_ACCOUNT_SID=twilio_sandbox.account_sid,
        TWILIO_AUTH_TOKEN=twilio_sandbox.auth_token,
        TWILIO_PHONE_NUMBER=SENDER,
        TWILIO_BASE_URL=twilio_sandbox.url,
        TWILIO_STATUS_CALLBACK_BASE_URL=PUBLIC,
    ):
        yield twilio_sandbox


def callback(sandbox: SandboxHandle, sid: str, status: str, url: str = PUBLIC + PATH, **extra: str) -> dict[str, Any]:
    params = {
        "MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "SmsStatus": status,
        "AccountSid": sandbox.account_sid, "From": SENDER, "To": MOBILE, "ApiVersion": "2010-04-01", **extra,
    }  # fmt: skip
    return {"params": params, "signature": compute_signature(url, params, sandbox.auth_token)}


def post(params: dict[str, str], signature: str | None, path: str = PATH, **headers: str) -> Any:
    from django.test import Client

    extra = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature is not None else {}
    return Client().post(path, params, **extra, **headers)


def row(sms_id: int) -> Any:
    from app_integrations.django.models import SMS

    return SMS.objects.get(pk=sms_id)


def test_seed_send_sms_shortcut_saves_the_row_with_the_sid(twilio_settings: SandboxHandle) -> None:
    from app_integrations.twilio.shortcuts import send_sms

    result = send_sms(to_number=MOBILE, body="Your order has been shipped!")
    assert result["success"] is True and isinstance(result["sms_id"], int)
    sms = row(result["sms_id"])
    assert (sms.external_id, sms.status, sms.to_number, sms.from_number) == (result["sid"], "queued", MOBILE, SENDER)
    assert sms.sent_at is not None
    message = twilio_settings.app.store.one("SELECT callback_url FROM twilio_messages")
    assert message == {"callback_url": PUBLIC + PATH}


def test_without_save_to_db_nothing_is_stored(twilio_settings: SandboxHandle) -> None:
    from app_integrations.django.models import SMS
    from app_integrations.twilio.shortcuts import send_sms

    result = send_sms(MOBILE, "hi", save_to_db=False)
    assert result["success"] and result["sms_id"] is None and not SMS.objects.exists()


@pytest.mark.parametrize(
    ("to", "body", "fault", "code"),
    [
        ("2125551234", "hi", None, "invalid_argument"),
        (MOBILE, "x" * 1601, None, "invalid_argument"),
        ("+15005550001", "hi", None, "21211"),
        (MOBILE, "hi", {"kind": "status", "status": 500}, "20500"),
        (MOBILE, "hi", {"kind": "drop_after"}, "outcome_unknown"),
        (MOBILE, "hi", {"kind": "malformed"}, "malformed_response"),
    ],
)
def test_a_failed_send_marks_the_row_failed_with_the_error(
    twilio_settings: SandboxHandle, to: str, body: str, fault: dict[str, Any] | None, code: str
) -> None:
    from app_integrations.twilio.shortcuts import send_sms

    if fault:
        twilio_settings.inject_fault(**fault)
    result = send_sms(to, body)
    assert result["success"] is False and result["code"] == code
    sms = row(result["sms_id"])
    assert (sms.status, sms.error_code, sms.external_id) == ("failed", code, "")
    assert sms.error_message == result["error"]


def test_wrong_credentials_mark_the_row_failed(twilio_settings: SandboxHandle) -> None:
    from django.test import override_settings

    from app_integrations.twilio.shortcuts import send_sms

    with override_settings(TWILIO_AUTH_TOKEN="wrong-token-0123456789"):
        result = send_sms(MOBILE, "hi")
    assert row(result["sms_id"]).error_code == "unauthorized"


def test_a_routing_without_the_callback_view_never_crashes(twilio_settings: SandboxHandle) -> None:
    from django.test import override_settings

    from app_integrations.twilio.shortcuts import send_sms

    with override_settings(ROOT_URLCONF="django_app.urls"):
        result = send_sms(MOBILE, "hi")
    assert result["success"] is True
    assert twilio_settings.app.store.one("SELECT callback_url FROM twilio_messages") == {"callback_url": None}


def test_send_verification_code_and_verify_phone_number(twilio_settings: SandboxHandle) -> None:
    from app_integrations.twilio.shortcuts import send_verification_code, verify_phone_number

    assert verify_phone_number(MOBILE)["valid"] is True
    assert verify_phone_number("+1234567890")["valid"] is False
    result = send_verification_code(MOBILE, "123456")
    assert result["success"] and row(result["sms_id"]).body == "Your verification code is: ******"  # masked
    texted = twilio_settings.app.store.one("SELECT data FROM twilio_messages WHERE sid = ?", (result["sid"],))
    assert '"body": "Your verification code is: 123456"' in texted["data"]  # the phone gets the code
    assert send_verification_code(MOBILE, "")["code"] == "invalid_argument"


def test_get_sms_status_refreshes_the_row_from_twilio(twilio_settings: SandboxHandle) -> None:
    from app_integrations.twilio.shortcuts import get_sms_status, send_sms

    sent = send_sms(MOBILE, "hi")
    twilio_settings.fail_message(sent["sid"], "undelivered", 30005)
    result = get_sms_status(sent["sms_id"])
    assert result["success"] and result["status"] == "undelivered"
    assert result["sms_data"]["to_number"] == MOBILE and result["sms_data"]["body"] == "hi"
    sms = row(sent["sms_id"])
    assert (sms.status, sms.error_code, sms.error_message) == ("undelivered", "30005", "Unknown destination handset")
    assert get_sms_status(987654)["error"] == "SMS with ID 987654 not found"


def test_a_sent_sms_reaches_delivered_through_signed_callbacks_over_http(
    twilio_sandbox: SandboxHandle, sms_db: None
) -> None:
    from django.core.wsgi import get_wsgi_application
    from django.test import override_settings

    from app_integrations.django.models import WebhookEvent
    from app_integrations.twilio.shortcuts import send_sms

    with waitress_server(get_wsgi_application()) as port, override_settings(
        TWILIO_ACCOUNT_SID=twilio_sandbox.account_sid, TWILIO_AUTH_TOKEN=twilio_sandbox.auth_token,
        TWILIO_PHONE_NUMBER=SENDER, TWILIO_BASE_URL=twilio_sandbox.url,
        TWILIO_STATUS_CALLBACK_BASE_URL=f"http://127.0.0.1:{port}",
    ):  # fmt: skip
        result = send_sms(MOBILE, "Test message from Django!")
        twilio_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": 10})
        done = twilio_sandbox.wait_for_callbacks(3, result["sid"])
    assert [(c["status"], c["response_status"]) for c in done] == [("sending", 200), ("sent", 200), ("delivered", 200)]
    sms = row(result["sms_id"])
    assert sms.status == "delivered" and sms.delivered_at is not None and sms.sent_at is not None
    assert WebhookEvent.objects.filter(provider="twilio").count() == 3


def test_callbacks_validate_and_move_the_row_forward_only(twilio_settings: SandboxHandle) -> None:
    from app_integrations.twilio.shortcuts import send_sms

    sent = send_sms(MOBILE, "hi")
    sid = sent["sid"]
    delivered = callback(twilio_settings, sid, "delivered")
    assert post(delivered["params"], delivered["signature"]).status_code == 200
    late = callback(twilio_settings, sid, "sent")
    answer = post(late["params"], late["signature"])
    assert answer.status_code == 200 and answer.json()["updated"] is False
    assert row(sent["sms_id"]).status == "delivered"
    replay = post(delivered["params"], delivered["signature"])
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    read = callback(twilio_settings, sid, "read")
    post(read["params"], read["signature"])
    assert row(sent["sms_id"]).status == "read" and row(sent["sms_id"]).read_at is not None


def test_an_undelivered_callback_records_the_error_code(twilio_settings: SandboxHandle) -> None:
    from app_integrations.twilio.shortcuts import send_sms

    sent = send_sms(MOBILE, "hi")
    report = callback(twilio_settings, sent["sid"], "undelivered", ErrorCode="30003")
    post(report["params"], report["signature"])
    assert (row(sent["sms_id"]).status, row(sent["sms_id"]).error_code) == ("undelivered", "30003")


@pytest.mark.parametrize("case", ["missing", "wrong", "other_token", "tampered", "forged_host", "other_path"])
def test_bad_callbacks_are_refused_and_change_nothing(twilio_settings: SandboxHandle, case: str) -> None:
    from app_integrations.django.models import WebhookEvent
    from app_integrations.twilio.shortcuts import send_sms

    sent = send_sms(MOBILE, "hi")
    good = callback(twilio_settings, sent["sid"], "delivered")
    params, signature, headers = dict(good["params"]), good["signature"], {}
    if case == "missing":
        signature = None
    elif case == "wrong":
        signature = "AAAA" + signature[4:]
    elif case == "other_token":
        signature = compute_signature(PUBLIC + PATH, params, "not-the-token")
    elif case == "tampered":
        params["MessageStatus"] = "failed"
    elif case == "forged_host":  # signed for the attacker's host, sent with that Host: the configured URL wins
        signature = compute_signature("http://evil.example" + PATH, params, twilio_settings.auth_token)
        headers = {"HTTP_HOST": "evil.example", "SERVER_NAME": "evil.example"}
    elif case == "other_path":
        signature = compute_signature(PUBLIC + "/elsewhere/", params, twilio_settings.auth_token)
    answer = post(params, signature, **headers)
    assert answer.status_code == 400  # a forged Host is refused by Django itself, before the view
    assert case == "forged_host" or answer.json()["code"] == "invalid_signature"
    assert row(sent["sms_id"]).status == "queued"
    assert not WebhookEvent.objects.filter(provider="twilio").exists()


def test_the_default_port_may_be_spelled_out(twilio_settings: SandboxHandle) -> None:
    report = callback(twilio_settings, "SM" + "1" * 32, "sent", url="https://app.example.com:443" + PATH)
    assert post(report["params"], report["signature"]).status_code == 200


def test_trusted_forwarded_headers_rebuild_the_public_url(twilio_settings: SandboxHandle) -> None:
    from django.test import override_settings

    url = "https://proxy.example.org:8443" + PATH
    report = callback(twilio_settings, "SM" + "2" * 32, "sent", url=url)
    forwarded = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_HOST": "proxy.example.org",
                 "HTTP_X_FORWARDED_PORT": "8443"}  # fmt: skip
    assert post(report["params"], report["signature"], **forwarded).status_code == 400  # not trusted by default
    with override_settings(TWILIO_TRUST_FORWARDED_HEADERS=True, ALLOWED_HOSTS=["proxy.example.org", "testserver"]):
        assert post(report["params"], report["signature"], **forwarded).status_code == 200
    with override_settings(TWILIO_TRUST_FORWARDED_HEADERS=True):  # a host outside ALLOWED_HOSTS is never trusted
        assert post(report["params"], report["signature"], **forwarded).status_code == 400


def test_json_bodies_are_checked_by_body_sha256(twilio_settings: SandboxHandle) -> None:
    from django.test import Client

    body = json.dumps({"MessageSid": "SM" + "3" * 32, "MessageStatus": "sent"}).encode()
    path = f"{PATH}?bodySHA256={body_hash(body)}"
    signature = compute_signature(PUBLIC + path, None, twilio_settings.auth_token)
    client = Client()
    ok = client.post(path, body, content_type="application/json", HTTP_X_TWILIO_SIGNATURE=signature)
    assert ok.status_code == 200
    tampered = client.post(path, body.replace(b"sent", b"read"), content_type="application/json",
                           HTTP_X_TWILIO_SIGNATURE=signature)  # fmt: skip
    assert tampered.status_code == 400


def test_no_auth_token_or_no_public_url_refuses(twilio_settings: SandboxHandle) -> None:
    from django.test import override_settings

    report = callback(twilio_settings, "SM" + "4" * 32, "sent")
    with override_settings(TWILIO_AUTH_TOKEN=""):
        assert post(report["params"], report["signature"]).status_code == 503
    with override_settings(TWILIO_STATUS_CALLBACK_BASE_URL="", SITE_URL=""):
        assert post(report["params"], report["signature"]).json()["code"] == "not_configured"
    from django.test import Client

    assert Client().get(PATH).status_code == 405


def test_the_start_up_check_warns_when_twilio_is_not_configured(sms_db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.test import override_settings

    from app_integrations.django.checks import integrations_configured

    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_PHONE_NUMBER", "TWILIO_ENABLED", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    with override_settings(DEBUG=False, TESTING=False, LOOPS_API_KEY="x"):
        (warning,) = [w for w in integrations_configured() if w.id == "app_integrations.W003"]
        assert "TWILIO_ACCOUNT_SID" in warning.msg and "TWILIO_AUTH_TOKEN" in warning.msg
        with override_settings(TWILIO_ENABLED=False):
            assert not [w for w in integrations_configured() if w.id == "app_integrations.W003"]
