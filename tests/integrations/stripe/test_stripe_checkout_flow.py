"""Done-when: a subscription checkout paid on the sandbox's hosted page ends with the app's webhook view (served by
a real server) having processed each event exactly once, with deliveries shuffled and every one sent twice.

Seed 002's shortcut and view code run as written (only the import line names this package).
"""

from __future__ import annotations

import collections
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.test import override_settings

pytestmark = pytest.mark.usefixtures("integrations_db")


@pytest.fixture
def wired(stripe_sandbox: Any, django_server: str) -> Iterator[Any]:
    """The sandbox's webhooks go to the Django app, whose settings point the Stripe client at the sandbox."""
    with httpx.Client(
        base_url=stripe_sandbox.url, headers={"Authorization": f"Bearer {stripe_sandbox.api_key}"}
    ) as http:
        endpoint = http.post(
            "/v1/webhook_endpoints",
            data={"url": f"{django_server}/integrations/webhooks/stripe/", "enabled_events[0]": "*"},
        ).json()
    with override_settings(
        STRIPE_API_KEY=stripe_sandbox.api_key,
        STRIPE_BASE_URL=stripe_sandbox.url,
        STRIPE_WEBHOOK_SECRET=endpoint["secret"],
        STRIPE_SUCCESS_URL="http://testserver/billing/done/",
    ):
        yield stripe_sandbox


@pytest.fixture
def processed() -> Iterator[collections.Counter[str]]:
    from app_integrations.django.signals import webhook_received

    seen: collections.Counter[str] = collections.Counter()

    def count(sender: Any, provider: str, payload: dict[str, Any], **kwargs: Any) -> None:
        seen[payload["id"]] += 1

    webhook_received.connect(count, weak=False)
    yield seen
    webhook_received.disconnect(count)


def test_subscription_checkout_is_processed_once_per_event(wired: Any, processed: collections.Counter[str]) -> None:
    from django.contrib.auth.models import User

    from app_integrations.django.models import StripeCustomer, WebhookEvent
    from app_integrations.stripe.client import StripeClient
    from app_integrations.stripe.shortcuts import create_subscription_checkout

    wired.delivery_settings(shuffle=True, duplicate=True, seed=12)
    client = StripeClient()
    product = client.create_product("Pro")["product"]["id"]
    price_monthly = client.create_price(product, 2000, "usd", interval="month")["price"]["id"]
    user = User.objects.create(username="ada", email="ada@example.com")

    # Seed 002, "create_subscription_checkout":
    result = create_subscription_checkout(price_id=price_monthly, user=user)
    assert result["success"], result
    page = httpx.post(f"{result['session']['url']}/pay", data={"card_number": "4242424242424242"})
    assert page.status_code == 303 and page.headers["location"] == "http://testserver/billing/done/"

    deliveries = wired.wait_for_deliveries()
    assert deliveries and all(row["status"] == "succeeded" for row in deliveries)
    event_ids = {row["event_id"] for row in deliveries}
    assert len(deliveries) == 2 * len(event_ids)  # every event delivered twice, in shuffled order
    stored = dict(WebhookEvent.objects.filter(provider="stripe").values_list("event_id", "event_type"))
    assert set(stored) == event_ids
    assert processed == collections.Counter({event_id: 1 for event_id in event_ids})
    types = set(stored.values())
    assert {
        "customer.created",
        "customer.subscription.created",
        "invoice.paid",
        "customer.subscription.updated",
        "checkout.session.completed",
    } <= types
    created = next(
        WebhookEvent.objects.get(event_id=e).payload for e in stored if stored[e] == "customer.subscription.created"
    )
    assert created["data"]["object"]["status"] == "incomplete"  # born incomplete, active in a later update

    customer_id = StripeCustomer.objects.get(user=user).customer_id
    subscriptions = client.list("subscriptions", customer=customer_id)["data"]
    assert [s["status"] for s in subscriptions] == ["active"]
    # A second checkout for the same user reuses their customer.
    again = create_subscription_checkout(price_id=price_monthly, user=user)
    assert again["session"]["customer"] == customer_id
    assert len(client.list("customers")["data"]) == 1


def test_failed_delivery_is_retried_until_the_app_answers(wired: Any, processed: collections.Counter[str]) -> None:
    from app_integrations.django.models import WebhookEvent

    wired.delivery_settings(retry_delays=[0.05, 0.05, 0.05])
    with override_settings(STRIPE_WEBHOOK_SECRET="whsec_not_the_endpoints"):  # the app refuses: 400
        wired.trigger("customer.created")
        first = wired.wait_for_deliveries()
    assert {row["status"] for row in first} == {"failed"} and {row["attempts"] for row in first} == {4}
    assert {row["last_status"] for row in first} == {400}
    assert not WebhookEvent.objects.exists()
    result = wired.trigger("customer.subscription.deleted")
    later = wired.wait_for_deliveries()
    done = [row for row in later if row["status"] == "succeeded"]
    assert {row["event_id"] for row in done} == {event["id"] for event in result["events"]}
    assert WebhookEvent.objects.filter(event_type="customer.subscription.deleted").count() == 1
