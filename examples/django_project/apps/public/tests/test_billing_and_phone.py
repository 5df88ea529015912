"""The pricing → Stripe checkout → billing pages, and the phone-verification page, through Django's test client
against the Stripe and Twilio sandboxes and a private redis-server."""

import json
import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.test import Client, override_settings

from app_integrations.cache.local_server import redis_server_binary, start_local_redis


@pytest.fixture
def signed_in(user: Any) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_pricing_goes_to_stripes_hosted_page_and_billing_shows_the_subscription_active(
    stripe_sandbox: Any, signed_in: Client, user: Any
) -> None:
    from apps.integration.stripe.client import StripeClient

    with override_settings(
        STRIPE_API_KEY=stripe_sandbox.api_key, STRIPE_BASE_URL=stripe_sandbox.url, STRIPE_ENABLED=True
    ):
        client = StripeClient()
        product = client.create_product("Pro")["product"]["id"]
        price = client.create_price(product, 2000, "usd", interval="month")["price"]["id"]
        with override_settings(STRIPE_PRICE_ID=price, SITE_URL="http://testserver"):
            assert b"Subscribe" in signed_in.get("/pricing/").content
            assert b"No subscription yet" in signed_in.get("/billing/").content
            started = signed_in.post("/pricing/")
            assert started.status_code == 302 and "/sandbox/checkout/cs_test_" in started["Location"]
            paid = httpx.post(f"{started['Location']}/pay", data={"card_number": "4242424242424242"})
            assert paid.status_code == 303 and paid.headers["location"] == "http://testserver/billing/?checkout=success"
            user.refresh_from_db()
            assert user.stripe_customer_id.startswith("cus_")  # the user's customer, kept on the user
            billing = signed_in.get("/billing/?checkout=success")
    assert billing.status_code == 200 and b"<strong>active</strong>" in billing.content


@pytest.fixture
def redis() -> Iterator[str]:
    """`REDIS_URL`, else a private redis-server on a free loopback port (stopped after)."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    binary = redis_server_binary()
    if binary is None:
        pytest.fail("redis-server not found: apt-get install redis-server (or set REDIS_URL)")
    with start_local_redis(binary) as url:
        yield url


def test_phone_verification_page_sends_a_code_and_accepts_only_the_right_one(
    twilio_sandbox: Any, redis: str, signed_in: Client
) -> None:
    with override_settings(
        REDIS_URL=redis,
        TWILIO_ENABLED=True,
        TWILIO_ACCOUNT_SID=twilio_sandbox.account_sid,
        TWILIO_AUTH_TOKEN=twilio_sandbox.auth_token,
        TWILIO_PHONE_NUMBER="+15005550006",
        TWILIO_BASE_URL=twilio_sandbox.url,
    ):
        sent = signed_in.post("/verify-phone/", {"phone_number": "+14155550123"})
        assert sent.status_code == 200 and b'id="code"' in sent.content
        [texted] = twilio_sandbox.app.store.all("SELECT data FROM twilio_messages")
        code = json.loads(texted["data"])["body"].rsplit(" ", 1)[1]
        wrong = signed_in.post(
            "/verify-phone/", {"phone_number": "+14155550123", "code": "000000" if code != "000000" else "111111"}
        )
        assert b'id="verified"' not in wrong.content and b"Invalid code" in wrong.content
        assert b'id="code"' in wrong.content  # the person can type the code again without a new one
        right = signed_in.post("/verify-phone/", {"phone_number": "+14155550123", "code": code})
    assert b"+14155550123 is verified." in right.content
