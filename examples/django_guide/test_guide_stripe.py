"""The guide's Stripe blocks (11-27), as written, against the Stripe sandbox.

The guide's placeholder IDs (`price_1234567890`, `price_monthly`, `cus_1234567890`, `sub_1234567890`) are sandbox
aliases of real objects, so each block succeeds as written; view fragments run as views through Django's test client.
"""

import json
import os
from collections.abc import Iterator
from typing import Any

import config.settings.third_party
import httpx
import pytest
from django.shortcuts import redirect
from django.test import Client, override_settings
from guide import GuideRunner

from app_integrations.stripe import signature_header

WEBHOOK_SECRET = "whsec_guide_tests"


class Plans:
    """The sandbox's catalogue for the guide: a monthly plan (both of the guide's recurring price IDs) and a
    one-time price."""

    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        self.http = httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {sandbox.api_key}"})
        product = self.post("/v1/products", {"name": "Pro"})
        self.monthly = self.post(
            "/v1/prices",
            {"product": product["id"], "unit_amount": 900, "currency": "usd", "recurring[interval]": "month"},
        )["id"]
        self.one_time = self.post("/v1/prices", {"product": product["id"], "unit_amount": 4900, "currency": "usd"})[
            "id"
        ]
        sandbox.alias("price_1234567890", self.monthly)
        sandbox.alias("price_monthly", self.monthly)

    def post(self, path: str, data: dict[str, Any]) -> dict[str, Any]:
        """POST to the sandbox's Stripe API."""
        response = self.http.post(path, data=data)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    def get(self, path: str) -> dict[str, Any]:
        """GET from the sandbox's Stripe API."""
        response = self.http.get(path)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    def signed_event(self, event_type: str) -> tuple[bytes, str]:
        """A real event of `event_type` (fired by `stripe trigger`) as Stripe would deliver it: body and signature."""
        fired = self.sandbox.trigger(event_type)["events"]
        event = next(e for e in fired if e["type"] == event_type)
        payload = json.dumps(self.get(f"/v1/events/{event['id']}")).encode()
        return payload, signature_header(payload, WEBHOOK_SECRET)


@pytest.fixture
def plans(stripe_sandbox: Any) -> Iterator[Plans]:
    """The project pointed at the Stripe sandbox, with the guide's plans in its catalogue."""
    with override_settings(
        STRIPE_API_KEY=stripe_sandbox.api_key,
        STRIPE_BASE_URL=stripe_sandbox.url,
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_ENABLED=True,
        SITE_URL="http://testserver",
    ):
        catalogue = Plans(stripe_sandbox)
        yield catalogue
        catalogue.http.close()


def recording(method: Any, results: list[dict[str, Any]]) -> Any:
    """`method`, keeping each result it returns in `results` (a block that overwrites `result` keeps them all)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        results.append(method(*args, **kwargs))
        return results[-1]

    return call


@pytest.fixture
def signed_in(user: Any) -> Client:
    """A browser signed in as `user`."""
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.mark.guide(11)
def test_the_settings_block(guide: GuideRunner, monkeypatch: Any) -> None:
    for name in ("STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    guide.run(11, os=os)
    assert not guide.namespace["STRIPE_ENABLED"]  # nothing configured
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_x")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "whsec_x")
    guide.run(11)
    assert guide.namespace["STRIPE_ENABLED"]  # both keys set (the guide's `or` leaves the secret's string, truthy)
    assert guide.missing_from(11, config.settings.third_party) == []


@pytest.mark.guide(12, 13, 14, 15, 16)
def test_the_client_blocks(guide: GuideRunner, plans: Plans) -> None:
    guide.run(12, redirect=redirect)  # block 13 calls Django's `redirect`, which the reader's views module imports
    with guide.urls({"checkout/": guide.view(13)}):
        refused = Client().get("/checkout/")  # the guide's "sk_test_your_key" is not a key the sandbox knows
        assert refused.status_code == 204 and "Invalid API Key" in guide.view_locals[13]["result"]["error"]
        guide.namespace["client"] = guide.namespace["StripeClient"]()  # "Initialize with default settings"
        answer = Client().get("/checkout/")
    session = guide.view_locals[13]["result"]["session"]
    assert answer.status_code == 302 and answer["Location"] == session["url"]
    assert session["url"].startswith(plans.sandbox.root_url) and session["metadata"] == {"user_id": "123"}

    guide.run(14)
    customer = plans.get(f"/v1/customers/{guide.namespace['customer_id']}")
    assert customer["email"] == "user@example.com" and customer["metadata"] == {"user_id": "123"}

    plans.sandbox.alias("cus_1234567890", customer["id"])
    guide.run(15)
    assert guide.namespace["status"] == "trialing"
    subscription = plans.get(f"/v1/subscriptions/{guide.namespace['subscription_id']}")
    assert subscription["customer"] == customer["id"] and subscription["metadata"] == {"plan": "pro"}

    plans.sandbox.alias("sub_1234567890", subscription["id"])
    at_period_end: list[dict[str, Any]] = []
    guide.namespace["client"].cancel_subscription = recording(
        guide.namespace["client"].cancel_subscription, at_period_end
    )
    guide.run(16)
    first, immediately = at_period_end
    assert first["subscription"]["cancel_at_period_end"] is True and first["subscription"]["status"] == "trialing"
    assert immediately["subscription"]["status"] == "canceled"
    assert plans.get(f"/v1/subscriptions/{subscription['id']}")["status"] == "canceled"


@pytest.mark.guide(12, 17)
def test_the_webhook_verification_block(guide: GuideRunner, plans: Plans) -> None:
    guide.run(12)
    guide.namespace["client"] = guide.namespace["StripeClient"]()
    payload, signature = plans.signed_event("customer.created")
    with guide.urls({"webhooks/stripe/": guide.view(17)}):
        answer = Client().post(
            "/webhooks/stripe/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
        assert answer.status_code == 204
        assert guide.view_locals[17]["event_type"] == "customer.created"
        assert guide.view_locals[17]["event_data"]["object"]["object"] == "customer"

        forged = signature_header(payload, "whsec_someone_else")
        Client().post("/webhooks/stripe/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=forged)
        assert guide.view_locals[17]["result"]["verified"] is False and "event_type" not in guide.view_locals[17]


@pytest.mark.guide(18, 19, 20)
def test_the_checkout_shortcut_blocks(guide: GuideRunner, plans: Plans, signed_in: Client, user: Any) -> None:
    guide.namespace["redirect"] = redirect  # block 19 returns Django's `redirect`, as block 13 does
    guide.run(18, price_id=plans.one_time)
    one_time = guide.namespace["result"]["session"]
    assert one_time["mode"] == "payment" and one_time["success_url"].startswith("http://testserver/")

    with guide.urls({"subscribe/": guide.view(19), "subscribe-monthly/": guide.view(20)}):
        answer = signed_in.get("/subscribe/")
        session = guide.view_locals[19]["result"]["session"]
        assert answer.status_code == 302 and answer["Location"] == session["url"]
        assert session["mode"] == "subscription" and session["client_reference_id"] == str(user.pk)
        assert signed_in.get("/subscribe-monthly/").status_code == 204
    monthly = guide.view_locals[20]["result"]["session"]
    user.refresh_from_db()
    assert monthly["customer"] == session["customer"] == user.stripe_customer_id  # one customer for the user

    paid = plans.sandbox.complete_checkout(monthly["id"])
    assert paid["session"]["status"] == "complete"


@pytest.mark.guide(21, 22, 23)
def test_the_customer_and_cancel_shortcut_blocks(
    guide: GuideRunner, plans: Plans, signed_in: Client, user: Any
) -> None:
    guide.run(21, user=user)
    customer_id = guide.namespace["result"]["customer"]["id"]
    type(user).objects.filter(pk=user.pk).update(stripe_customer_id="")  # cleared: the view's run stores it again
    with guide.urls({"customer/": guide.view(22)}):
        assert signed_in.get("/customer/").status_code == 204
    user.refresh_from_db()
    assert user.stripe_customer_id == customer_id == guide.view_locals[22]["result"]["customer"]["id"]

    subscription = plans.post(
        "/v1/subscriptions", {"customer": customer_id, "items[0][price]": plans.monthly, "trial_period_days": 7}
    )
    guide.run(23, subscription_id=subscription["id"])
    assert guide.namespace["result"]["subscription"]["cancel_at_period_end"] is True
    assert plans.get(f"/v1/subscriptions/{subscription['id']}")["status"] == "trialing"  # until the period ends


@pytest.mark.guide(24, 25)
def test_the_webhook_shortcut_blocks(guide: GuideRunner, plans: Plans) -> None:
    payload, signature = plans.signed_event("checkout.session.completed")
    guide.run(24, payload=payload, signature=signature)
    assert guide.namespace["result"]["verified"] is True
    assert guide.namespace["result"]["event"]["type"] == "checkout.session.completed"

    guide.run(25)
    with guide.urls({"webhooks/stripe/": guide.namespace["stripe_webhook"]}):
        good = Client().post(
            "/webhooks/stripe/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
        bad = Client().post(
            "/webhooks/stripe/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=00"
        )
        unsigned = Client().post("/webhooks/stripe/", payload, content_type="application/json")
    assert good.status_code == 200 and good.json() == {"status": "success"}
    assert bad.status_code == unsigned.status_code == 400 and bad.json() == {"error": "Invalid signature"}


@pytest.mark.guide(26)
def test_the_webhook_view_block_dispatches_each_event_type(guide: GuideRunner, plans: Plans) -> None:
    handled: list[tuple[str, str]] = []
    guide.run(
        26,
        handle_checkout_completed=lambda data: handled.append(("completed", data["object"]["id"])),
        handle_subscription_updated=lambda data: handled.append(("updated", data["object"]["id"])),
        handle_subscription_deleted=lambda data: handled.append(("deleted", data["object"]["id"])),
    )
    completed = plans.signed_event("checkout.session.completed")
    deleted = plans.signed_event("customer.subscription.deleted")
    with guide.urls({"webhooks/stripe/": guide.namespace["stripe_webhook_view"]}):
        for payload, signature in (completed, deleted):
            answer = Client().post(
                "/webhooks/stripe/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
            )
            assert answer.status_code == 200 and answer.json() == {"status": "success"}
        assert Client().get("/webhooks/stripe/").status_code == 405  # require_POST
        forged = Client().post("/webhooks/stripe/", completed[0], content_type="application/json")
        assert forged.status_code == 400
    expected = [("completed", json.loads(completed[0])["data"]["object"]["id"])]
    expected.append(("deleted", json.loads(deleted[0])["data"]["object"]["id"]))
    assert handled == expected


@pytest.mark.guide(27)
def test_the_setup_check_block(guide: GuideRunner, plans: Plans) -> None:
    assert guide.run(27) == "Stripe integration working!\n"
    assert plans.get(f"/v1/customers/{guide.namespace['result']['customer']['id']}")["name"] == "Test User"


@pytest.mark.guide(27)
def test_the_setup_check_block_without_a_key(guide: GuideRunner) -> None:
    with override_settings(STRIPE_API_KEY="", STRIPE_BASE_URL="", STRIPE_ENABLED=False, DEBUG=True):
        assert guide.run(27) == "Stripe integration working!\n"  # debug mode, Stripe off: simulated, nothing sent
        assert guide.namespace["result"]["simulated"] is True
    with override_settings(
        STRIPE_API_KEY="sk_live_x", STRIPE_BASE_URL="", STRIPE_ENABLED=False, DEBUG=False, TESTING=False
    ):
        assert guide.run(27) == ""  # production, Stripe off: a failure, never a simulated customer
        assert guide.namespace["result"]["code"] == "disabled"
    with override_settings(STRIPE_API_KEY="", STRIPE_BASE_URL="", STRIPE_ENABLED=True, DEBUG=False, TESTING=False):
        assert guide.run(27) == ""
    assert guide.namespace["result"]["success"] is False and guide.namespace["result"]["code"] == "not_configured"
