"""The facade's `update_subscription` changing plan on the Stripe sandbox: items, prorations, the other update
parameters, and failure dicts for a bad argument (checked before sending) and for what Stripe refuses."""

from __future__ import annotations

from typing import Any

import httpx

from app_integrations.stripe import AsyncStripeClient, StripeClient


def _two_plans(client: StripeClient) -> tuple[str, str, dict[str, Any]]:
    product = client.create_product("Plans")["object"]["id"]
    basic = client.create_price(product, 1000, "usd", interval="month")["object"]["id"]
    pro = client.create_price(product, 3000, "usd", interval="month")["object"]["id"]
    customer = client.create_customer("plans@example.com")["customer"]["id"]
    made = client.create_subscription(customer, basic, default_payment_method="pm_card_visa")
    assert made["success"], made
    return basic, pro, made["subscription"]


def test_upgrade_invoices_prorations_at_once(stripe_client: StripeClient, stripe_sandbox: Any) -> None:
    _, pro, sub = _two_plans(stripe_client)
    item = sub["items"]["data"][0]["id"]
    changed = stripe_client.update_subscription(
        sub["id"],
        items=[{"id": item, "price": pro, "quantity": 2}],
        proration_behavior="always_invoice",
        expand=["latest_invoice"],
    )
    assert changed["success"], changed
    subscription = changed["subscription"]
    assert [(i["id"], i["price"]["id"], i["quantity"]) for i in subscription["items"]["data"]] == [(item, pro, 2)]
    invoice = subscription["latest_invoice"]
    assert invoice["billing_reason"] == "subscription_update" and invoice["status"] == "paid"
    amounts = sorted(line["amount"] for line in invoice["lines"]["data"])
    assert amounts[0] < 0 < amounts[1] and all(line["proration"] for line in invoice["lines"]["data"])


def test_prorations_wait_for_the_renewal_invoice(stripe_client: StripeClient, stripe_sandbox: Any) -> None:
    _, pro, sub = _two_plans(stripe_client)
    item = sub["items"]["data"][0]["id"]
    changed = stripe_client.update_subscription(sub["id"], items=[{"id": item, "price": pro}])
    assert changed["success"] and changed["subscription"]["latest_invoice"] == sub["latest_invoice"]
    renewed = stripe_sandbox.advance(days=32)
    assert "invoice.paid" in [e["type"] for e in renewed["events"]]
    invoice_id = stripe_client.retrieve_subscription(sub["id"])["subscription"]["latest_invoice"]
    assert invoice_id != sub["latest_invoice"]
    invoice = httpx.get(
        f"{stripe_sandbox.url}/v1/invoices/{invoice_id}", headers={"Authorization": f"Bearer {stripe_sandbox.api_key}"}
    ).json()
    lines = invoice["lines"]["data"]
    prorated = [line["amount"] for line in lines if line.get("proration")]
    assert invoice["billing_reason"] == "subscription_cycle" and len(prorated) == 2 and min(prorated) < 0
    assert invoice["amount_due"] == sum(line["amount"] for line in lines)


async def test_cancel_at_trial_end_and_card_async(
    stripe_client: StripeClient, async_stripe_client: AsyncStripeClient
) -> None:
    *_, sub = _two_plans(stripe_client)
    when = int(sub["current_period_end"])
    changed = await async_stripe_client.update_subscription(
        sub["id"], cancel_at=when, default_payment_method="pm_card_mastercard", payment_behavior="allow_incomplete"
    )
    assert changed["success"], changed
    assert changed["subscription"]["cancel_at"] == when
    assert changed["subscription"]["default_payment_method"] == "pm_card_mastercard"
    cleared = await async_stripe_client.update_subscription(sub["id"], cancel_at=None)
    assert cleared["success"] and cleared["subscription"]["cancel_at"] is None


def test_bad_arguments_and_refusals_are_failure_dicts(stripe_client: StripeClient) -> None:
    *_, sub = _two_plans(stripe_client)
    local = stripe_client.update_subscription(sub["id"], proration_behavior="sometimes")  # type: ignore[typeddict-item]
    assert local["success"] is False and "proration_behavior must be one of" in local["error"]
    no_id = stripe_client.update_subscription(sub["id"], items=[{"deleted": True}])
    assert no_id["success"] is False and "needs an id" in no_id["error"]
    refused = stripe_client.update_subscription(sub["id"], items=[{"id": "si_missing", "quantity": 2}])
    assert refused["success"] is False and refused["status_code"] == 400
    assert "si_missing" in refused["error"]
