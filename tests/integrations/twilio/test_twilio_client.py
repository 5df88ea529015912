"""`TwilioClient` / `AsyncTwilioClient` against the Twilio sandbox: seed 002's methods and result keys, the checks
made before anything is sent, every failure as a dict, and no duplicate text when an answer is lost."""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path
from typing import Any

import pytest

from app_integrations.twilio import AsyncTwilioClient, TwilioClient
from sdk_sandbox.pytest_plugin import SandboxHandle

MOBILE = "+12125551234"


def sent_messages(sandbox: SandboxHandle) -> list[dict[str, Any]]:
    return [json.loads(row["data"]) for row in sandbox.app.store.all("SELECT data FROM twilio_messages ORDER BY seq")]


def test_seed_send_sms_example(client: TwilioClient, twilio_sandbox: SandboxHandle) -> None:
    result = client.send_sms(
        to_number=MOBILE,
        body="Your verification code is: 123456",
        status_callback="https://example.com/webhooks/twilio/",
    )
    assert result["success"] is True
    assert result["sid"].startswith("SM") and result["status"] == "queued"
    assert result["data"]["to"] == MOBILE and result["data"]["from"] == "+15005550006"
    assert [m["sid"] for m in sent_messages(twilio_sandbox)] == [result["sid"]]


async def test_the_async_twin_sends_and_reads_the_same(async_client: AsyncTwilioClient) -> None:
    sent = await async_client.send_sms(MOBILE, "hi")
    assert sent["success"] is True
    status = await async_client.get_message_status(sent["sid"])
    assert status["success"] is True and status["status"] == "queued"
    looked_up = await async_client.verify_phone_number(MOBILE)
    assert looked_up["valid"] is True
    assert (await async_client.lookup_carrier("+1234567890"))["valid"] is False
    assert [m["sid"] for m in (await async_client.list_messages())["messages"]] == [sent["sid"]]


def test_seed_get_message_status_example_after_a_failure(client: TwilioClient, twilio_sandbox: SandboxHandle) -> None:
    sid = client.send_sms(MOBILE, "hi")["sid"]
    twilio_sandbox.fail_message(sid, "undelivered", 30003)
    result = client.get_message_status(sid)
    assert result["success"] is True and result["status"] == "undelivered"
    assert (result["data"]["error_code"], result["data"]["error_message"]) == (30003, "Unreachable destination handset")
    for key in ("sid", "to", "from", "body", "date_sent"):
        assert key in result["data"]


def test_seed_verify_phone_number_example(client: TwilioClient) -> None:
    result = client.verify_phone_number("+12125551234")
    assert result["success"] and result["valid"]
    carrier = result["data"]["carrier"]
    assert carrier["name"] and carrier["type"] == "mobile"
    assert (result["data"]["country_code"], result["data"]["national_format"]) == ("US", "(212) 555-1234")


def test_an_unknown_number_is_valid_false_not_a_failure(client: TwilioClient) -> None:
    result = client.verify_phone_number("+1234567890")
    assert result["success"] is True and result["valid"] is False
    assert result["data"]["validation_errors"] == ["TOO_SHORT"]
    v1 = client.lookup_carrier("+1234567890")
    assert v1["success"] is True and v1["valid"] is False


def test_lookup_carrier_reads_v1s_carrier_object(client: TwilioClient) -> None:
    result = client.lookup_carrier("+33612345678")
    assert result["valid"] is True
    assert result["data"]["carrier"]["name"] == "SFR" and result["data"]["national_format"] == "06 12 34 56 78"


def test_list_messages_follows_next_page_uri(client: TwilioClient) -> None:
    sids = [client.send_sms(MOBILE, f"n{i}")["sid"] for i in range(3)]
    page = client.list_messages(to_number=MOBILE, page_size=2)
    seen = [m["sid"] for m in page["messages"]]
    assert page["next_page_uri"]
    rest = client.list_messages(next_page_uri=page["next_page_uri"])
    seen += [m["sid"] for m in rest["messages"]]
    assert seen == sids[::-1] and rest["next_page_uri"] is None
    foreign = client.list_messages(next_page_uri="/2010-04-01/Accounts/AC" + "1" * 32 + "/Messages.json?Page=1")
    assert foreign["code"] == "invalid_argument"


@pytest.mark.parametrize(
    ("to", "body", "sender", "message"),
    [
        ("2125551234", "hi", None, "to_number is not in E.164"),
        ("+1 212 555 1234", "hi", None, "to_number is not in E.164"),
        ("", "hi", None, "to_number must be a phone number"),
        (MOBILE, "", None, "body must be non-empty"),
        (MOBILE, "x" * 1601, None, "body is 1601 characters"),
        (MOBILE, "hi", "12345", "from_number is not in E.164"),
    ],
)
def test_bad_arguments_fail_before_any_request(
    client: TwilioClient, twilio_sandbox: SandboxHandle, to: str, body: str, sender: str | None, message: str
) -> None:
    result = client.send_sms(to, body, from_number=sender)
    assert result["success"] is False and result["code"] == "invalid_argument"
    assert message in result["error"]
    assert sent_messages(twilio_sandbox) == []


def test_a_body_of_1600_characters_is_sent(client: TwilioClient) -> None:
    result = client.send_sms(MOBILE, "x" * 1600)
    assert result["success"] is True and result["data"]["num_segments"] == "11"


def test_no_sender_anywhere_is_a_clear_failure(twilio_sandbox: SandboxHandle) -> None:
    with TwilioClient(twilio_sandbox.account_sid, twilio_sandbox.auth_token, base_url=twilio_sandbox.url) as client:
        result = client.send_sms(MOBILE, "hi")
    assert result["code"] == "not_configured" and "TWILIO_PHONE_NUMBER" in result["error"]


@pytest.mark.parametrize(
    ("to", "code"), [("+15005550001", "21211"), ("+15005550009", "21614"), ("+15005550004", "21610")]
)
def test_test_numbers_become_failures_with_twilios_code(client: TwilioClient, to: str, code: str) -> None:
    result = client.send_sms(to, "hi")
    assert result == {"success": False, "error": result["error"], "code": code, "status_code": 400,
                      "request_id": result["request_id"],
                      "details": {"more_info": f"https://www.twilio.com/docs/errors/{code}"}}  # fmt: skip


def test_wrong_credentials_are_unauthorized(twilio_sandbox: SandboxHandle, caplog: pytest.LogCaptureFixture) -> None:
    token = "not-the-token-0123456789"
    with (
        caplog.at_level(logging.DEBUG),
        TwilioClient(twilio_sandbox.account_sid, token, "+15005550006", base_url=twilio_sandbox.url) as client,
    ):
        result = client.send_sms(MOBILE, "hi")
        assert token not in repr(client)
    assert (result["code"], result["status_code"]) == ("unauthorized", 401)
    assert result["details"]["upstream_code"] == "20003"
    assert token not in str(result) and token not in caplog.text
    assert twilio_sandbox.auth_token not in caplog.text


def test_an_unknown_message_is_20404(client: TwilioClient) -> None:
    result = client.get_message_status("SM" + "0" * 32)
    assert (result["success"], result["code"], result["status_code"]) == (False, "20404", 404)
    assert client.get_message_status("not-a-sid")["code"] == "invalid_argument"


def test_a_lost_answer_is_outcome_unknown_and_never_a_second_text(
    client: TwilioClient, twilio_sandbox: SandboxHandle
) -> None:
    twilio_sandbox.inject_fault("drop_after")
    result = client.send_sms(MOBILE, "only once")
    assert result["success"] is False and result["code"] == "outcome_unknown"
    assert "not repeated" in result["error"]
    assert [m["body"] for m in sent_messages(twilio_sandbox)] == ["only once"]


def test_a_read_timeout_on_send_is_outcome_unknown(twilio_sandbox: SandboxHandle) -> None:
    twilio_sandbox.inject_fault("delay", count=1, delay=1.0)
    with TwilioClient(
        twilio_sandbox.account_sid, twilio_sandbox.auth_token, "+15005550006", base_url=twilio_sandbox.url,
        timeout=0.3, retry_delay=0.01,
    ) as client:  # fmt: skip
        result = client.send_sms(MOBILE, "slow")
    assert result["code"] == "outcome_unknown"
    assert twilio_sandbox.app.faults.pending() == 0  # one attempt only


@pytest.mark.parametrize("status", [429, 503])
def test_answers_that_prove_nothing_was_sent_are_retried(
    client: TwilioClient, twilio_sandbox: SandboxHandle, status: int
) -> None:
    twilio_sandbox.inject_fault("status", count=2, status=status)
    result = client.send_sms(MOBILE, "after a retry")
    assert result["success"] is True
    assert len(sent_messages(twilio_sandbox)) == 1


def test_a_persistent_429_is_a_rate_limit_failure(client: TwilioClient, twilio_sandbox: SandboxHandle) -> None:
    twilio_sandbox.inject_fault("status", count=5, status=429)
    result = client.send_sms(MOBILE, "hi")
    assert (result["code"], result["status_code"]) == ("20429", 429)


def test_a_500_on_send_is_not_repeated(client: TwilioClient, twilio_sandbox: SandboxHandle) -> None:
    twilio_sandbox.inject_fault("status", count=2, status=500)
    result = client.send_sms(MOBILE, "hi")
    assert (result["code"], result["status_code"]) == ("20500", 500)
    assert twilio_sandbox.app.faults.pending() == 1  # the second fault was never reached: one attempt


def test_reads_are_retried_on_5xx(client: TwilioClient, twilio_sandbox: SandboxHandle) -> None:
    twilio_sandbox.inject_fault("status", count=2, status=500)
    assert client.verify_phone_number(MOBILE)["valid"] is True


@pytest.mark.parametrize("kind", ["malformed", "html"])
def test_malformed_answers_are_failures(client: TwilioClient, twilio_sandbox: SandboxHandle, kind: str) -> None:
    twilio_sandbox.inject_fault(kind, count=3)
    result = client.get_message_status("SM" + "0" * 32)
    assert result["success"] is False and result["code"] in ("malformed_response", "server_error")


def test_nobody_listening_is_a_connection_failure_after_retries() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = TwilioClient("AC" + "a" * 32, "token-0123456789", "+15005550006", base_url=f"http://127.0.0.1:{port}",
                          retry_delay=0.01)  # fmt: skip
    result = client.send_sms(MOBILE, "hi")
    assert result["code"] == "connection_error"  # provably unsent: retried, and reported as such


def test_debug_mode_simulates_without_sending(twilio_sandbox: SandboxHandle, caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.INFO),
        TwilioClient(twilio_sandbox.account_sid, twilio_sandbox.auth_token, "+15005550006", debug_mode=True) as client,
    ):
        result = client.send_sms(MOBILE, "secret code 123456")
    assert result["success"] is True and result["simulated"] is True and result["sid"].startswith("SM")
    assert sent_messages(twilio_sandbox) == []
    assert "secret code" not in caplog.text and twilio_sandbox.auth_token not in caplog.text


def test_missing_credentials_outside_development_are_not_configured(
    monkeypatch: pytest.MonkeyPatch, django_db: Path
) -> None:
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "DEBUG", "TESTING", "TWILIO_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    from django.test import override_settings

    with override_settings(DEBUG=False, TESTING=False):
        result = TwilioClient(from_number="+15005550006").send_sms(MOBILE, "hi")
        malformed = TwilioClient("12345", "token", "+15005550006").send_sms(MOBILE, "hi")
        off = TwilioClient("AC" + "a" * 32, "token", "+15005550006", base_url="http://127.0.0.1:9")
    assert result["code"] == "not_configured" and "TWILIO_ACCOUNT_SID" in result["error"]
    assert malformed["code"] == "not_configured" and "AC followed by 32" in malformed["error"]
    assert off.configured


def test_twilio_enabled_false_switches_sending_off(twilio_sandbox: SandboxHandle, django_db: Path) -> None:
    from django.test import override_settings

    with override_settings(TWILIO_ENABLED=False, DEBUG=False, TESTING=False):
        client = TwilioClient(twilio_sandbox.account_sid, twilio_sandbox.auth_token, "+15005550006",
                              base_url=twilio_sandbox.url)  # fmt: skip
        result = client.send_sms(MOBILE, "hi")
    assert result["code"] == "disabled" and "TWILIO_ENABLED" in result["error"]
    assert sent_messages(twilio_sandbox) == []


def test_an_api_key_authenticates_instead_of_the_auth_token() -> None:
    from sdk_sandbox.pytest_plugin import _serve
    from sdk_sandbox.twilio import build_twilio_app

    key_sid, secret = "SK" + "b" * 32, "key-secret-0123456789"
    app = build_twilio_app(api_keys=(f"{key_sid}:{secret}",))
    served = _serve(app)
    handle = next(served)
    try:
        with TwilioClient(handle.account_sid, None, "+15005550006", api_key_sid=key_sid, api_key_secret=secret,
                          base_url=handle.url) as client:  # fmt: skip
            assert client.send_sms(MOBILE, "hi")["success"] is True
        bad = TwilioClient(handle.account_sid, None, "+15005550006", api_key_sid="SK1", api_key_secret=secret)
        assert bad.send_sms(MOBILE, "hi")["code"] == "not_configured"
    finally:
        served.close()


async def test_a_closed_client_answers_client_closed_on_both_servers(twilio_sandbox: SandboxHandle) -> None:
    client = TwilioClient(twilio_sandbox.account_sid, twilio_sandbox.auth_token, "+15005550006",
                          base_url=twilio_sandbox.url)  # fmt: skip
    assert client.verify_phone_number(MOBILE)["success"] is True
    client.close()
    assert client.verify_phone_number(MOBILE)["code"] == "client_closed"
    assert client.send_sms(MOBILE, "hi")["code"] == "client_closed"
    async_client = AsyncTwilioClient(twilio_sandbox.account_sid, twilio_sandbox.auth_token, "+15005550006",
                                     base_url=twilio_sandbox.url)  # fmt: skip
    assert (await async_client.lookup_carrier(MOBILE))["success"] is True
    await async_client.aclose()
    assert (await async_client.lookup_carrier(MOBILE))["code"] == "client_closed"
