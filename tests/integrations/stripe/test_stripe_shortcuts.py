"""Seed 002's Stripe shortcuts against the sandbox: default URLs, user metadata, one customer per user."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from app_integrations.stripe import shortcuts, signature_header

pytestmark = pytest.mark.usefixtures("integrations_db")


@pytest.fixture
def configured(stripe_sandbox: Any) -> Iterator[Any]:
    with override_settings(
        STRIPE_API_KEY=stripe_sandbox.api_key, STRIPE_BASE_URL=stripe_sandbox.url, STRIPE_WEBHOOK_SECRET="whsec_s"
    ):
        yield stripe_sandbox


@pytest.fixture
def user(integrations_db: None) -> Any:
    from django.contrib.auth.models import User

    return User.objects.create(username="ada", email="ada@example.com", first_name="Ada", last_name="Lovelace")


def test_checkout_for_a_user_has_default_urls_and_user_metadata(configured: Any, user: Any, one_off_price: str) -> None:
    result = shortcuts.create_checkout_session(one_off_price, user=user)
    assert result["success"], result
    session = result["session"]
    assert session["success_url"] == "http://testserver/?payment_result=success"
    assert session["cancel_url"] == "http://testserver/?payment_result=canceled"
    assert session["customer_email"] == "ada@example.com" and session["customer"] is None
    assert session["metadata"] == {"user_id": str(user.pk), "user_email": "ada@example.com"}
    assert session["client_reference_id"] == str(user.pk)


def test_customer_from_user_is_created_once(configured: Any, user: Any, stripe_client: Any) -> None:
    first = shortcuts.create_customer_from_user(user)
    assert first["success"] and first["customer"]["name"] == "Ada Lovelace"
    assert first["customer"]["metadata"] == {"user_id": str(user.pk), "source": "django"}
    second = shortcuts.create_customer_from_user(user)
    assert second["customer"]["id"] == first["customer"]["id"] and second["existing"] is True
    assert len(stripe_client.list("customers")["data"]) == 1


def test_racing_requests_for_one_user_make_one_customer(configured: Any, user: Any, stripe_client: Any) -> None:
    from app_integrations.django.models import StripeCustomer

    ids: list[str] = []
    barrier = threading.Barrier(3)

    def create() -> None:
        barrier.wait()
        ids.append(shortcuts.create_customer_from_user(user)["customer"]["id"])

    threads = [threading.Thread(target=create) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 1
    assert StripeCustomer.objects.count() == 1
    assert len(stripe_client.list("customers")["data"]) == 1  # one Idempotency-Key per user


def test_cancel_user_subscription_defaults_to_period_end(
    configured: Any, monthly_price: str, stripe_client: Any
) -> None:
    customer = stripe_client.create_customer("a@example.com")["customer"]["id"]
    sub = stripe_client.create_subscription(customer, monthly_price, trial_days=3)["subscription"]["id"]
    result = shortcuts.cancel_user_subscription(sub)
    assert result["subscription"]["cancel_at_period_end"] is True and result["subscription"]["status"] == "trialing"


def test_handle_webhook_event_as_the_seed_view_uses_it(configured: Any) -> None:
    body = json.dumps({"id": "evt_9", "object": "event", "type": "checkout.session.completed", "data": {"object": {}}})
    result = shortcuts.handle_webhook_event(body.encode(), signature_header(body.encode(), "whsec_s"))
    assert result["verified"] and result["event"]["type"] == "checkout.session.completed"
    assert shortcuts.handle_webhook_event(body.encode(), None)["verified"] is False
    assert (
        shortcuts.handle_webhook_event(body.encode(), signature_header(body.encode(), "whsec_x"))["verified"] is False
    )


def test_stripe_enabled_false_is_a_failure_outside_debug_mode_and_simulates_in_it(user: Any) -> None:
    with override_settings(STRIPE_API_KEY="sk_test_x", STRIPE_ENABLED=False, DEBUG=False, TESTING=False):
        refused = shortcuts.create_checkout_session("price_1", user=user)
    assert (refused["success"], refused["code"]) == (False, "disabled") and "STRIPE_ENABLED" in refused["error"]
    assert "simulated" not in refused
    with override_settings(STRIPE_API_KEY="sk_test_x", STRIPE_ENABLED=False, DEBUG=True):
        result = shortcuts.create_checkout_session("price_1", user=user)
    assert result["success"] and result["simulated"] is True


def test_start_up_check_names_missing_stripe_settings() -> None:
    from app_integrations.django.checks import integrations_configured

    with override_settings(DEBUG=False, TESTING=False, STRIPE_API_KEY="", STRIPE_WEBHOOK_SECRET="", LOOPS_API_KEY="x"):
        warnings = [w for w in integrations_configured() if w.id == "app_integrations.W002"]
    assert len(warnings) == 1 and "STRIPE_API_KEY" in warnings[0].msg
    with override_settings(DEBUG=False, TESTING=False, STRIPE_API_KEY="sk_live_x", STRIPE_WEBHOOK_SECRET=""):
        (webhooks,) = [w for w in integrations_configured() if w.id == "app_integrations.W022"]
    assert "STRIPE_WEBHOOK_SECRET" in webhooks.msg
    with override_settings(DEBUG=False, TESTING=False, STRIPE_API_KEY="sk_live_x", STRIPE_WEBHOOK_SECRET="whsec_x"):
        assert not [
            w for w in integrations_configured() if w.id.startswith("app_integrations.W0") and "Stripe" in w.msg
        ]
