"""Standard Webhooks verification (Loops' scheme): jwt-webhooks.md §9's vectors, and both directions against the
reference `standardwebhooks` library."""

from __future__ import annotations

import base64
import datetime as dt
import json
import time

import pytest
from standardwebhooks import Webhook

from app_integrations.standard_webhooks import WebhookVerificationError, sign, verify

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()
OTHER = "whsec_" + base64.b64encode(b"o" * 32).decode()
BODY = json.dumps({"eventName": "email.delivered", "webhookSchemaVersion": "1.0.0", "eventTime": 1}).encode()


def headers(msg_id: str = "msg_1", stamp: int | None = None, signature: str | None = None) -> dict[str, str]:
    stamp = int(time.time()) if stamp is None else stamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": signature if signature is not None else sign(SECRET, msg_id, stamp, BODY),
    }


def test_a_signed_message_verifies_and_returns_its_payload() -> None:
    assert verify(BODY, headers(), SECRET)["eventName"] == "email.delivered"


def test_the_reference_library_verifies_our_signature_and_we_verify_its() -> None:
    now = dt.datetime.now(dt.UTC)
    theirs = Webhook(SECRET).sign("msg_2", now, BODY.decode())
    ours = headers("msg_2", int(now.timestamp()))
    assert verify(BODY, {**ours, "webhook-signature": theirs}, SECRET)["eventTime"] == 1
    assert Webhook(SECRET).verify(BODY, ours)["eventName"] == "email.delivered"


def test_title_case_headers_and_a_rotation_list_verify() -> None:
    stamp = int(time.time())
    both = f"{sign(OTHER, 'msg_1', stamp, BODY)} {sign(SECRET, 'msg_1', stamp, BODY)}"
    sent = {k.title(): v for k, v in headers(stamp=stamp, signature=both).items()}
    assert verify(BODY, sent, SECRET)["eventTime"] == 1
    assert verify(BODY, headers(), [OTHER, SECRET])["eventTime"] == 1  # several secrets while rotating


@pytest.mark.parametrize("offset", [-301, 301])
def test_a_timestamp_more_than_five_minutes_off_either_way_is_refused(offset: int) -> None:
    stamp = int(time.time()) + offset
    with pytest.raises(WebhookVerificationError, match="too"):
        verify(BODY, headers(stamp=stamp), SECRET)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"webhook-signature": "v1a,AAAA"}, "no matching signature"),
        ({"webhook-signature": "garbage-without-comma"}, "no matching signature"),
        ({"webhook-signature": "v1,!!!notbase64"}, "no matching signature"),
        ({"webhook-id": "msg_2"}, "no matching signature"),  # the id is signed
        ({"webhook-timestamp": "1700000000.0"}, "malformed webhook-timestamp"),
        ({"webhook-timestamp": "soon"}, "malformed webhook-timestamp"),
    ],
)
def test_tampered_or_malformed_headers_are_refused(change: dict[str, str], reason: str) -> None:
    with pytest.raises(WebhookVerificationError, match=reason):
        verify(BODY, {**headers(), **change}, SECRET)


def test_a_tampered_body_a_wrong_secret_and_missing_headers_are_refused() -> None:
    with pytest.raises(WebhookVerificationError, match="no matching"):
        verify(BODY.replace(b"delivered", b"bounced"), headers(), SECRET)
    with pytest.raises(WebhookVerificationError, match="no matching"):
        verify(BODY, headers(), OTHER)
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        sent = headers()
        del sent[name]
        with pytest.raises(WebhookVerificationError, match=f"missing {name}"):
            verify(BODY, sent, SECRET)


def test_any_letters_prefix_is_stripped_and_a_non_base64_secret_is_refused() -> None:
    assert verify(BODY, headers(), "lsk_" + SECRET.removeprefix("whsec_"))["eventTime"] == 1
    with pytest.raises(WebhookVerificationError, match="not base64"):
        verify(BODY, headers(), "whsec_not base64!")
    with pytest.raises(WebhookVerificationError, match="body too large"):
        verify(b" " * (1024 * 1024 + 1), headers(), SECRET)
