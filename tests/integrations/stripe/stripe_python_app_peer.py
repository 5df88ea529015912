"""Run inside .venv-peers (stripe-python installed, not our packages): the calls a real two-plan app makes.

Reads `{"url", "api_key", "scenario"}` as JSON on stdin, runs that scenario with stripe-python's module-level API
(`stripe.api_key`, `stripe.api_base`, `Subscription.retrieve(..., expand=[...])`), prints JSON of what it saw.
A Stripe error is printed as `{"error": {class, http_status, code, param, message}}` instead of a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import stripe


def _error(exc: stripe.StripeError) -> dict[str, Any]:
    body = exc.json_body or {}
    return {
        "class": type(exc).__name__,
        "http_status": exc.http_status,
        "code": exc.code,
        "param": getattr(exc, "param", None),
        "message": exc.user_message,
        "body": body,
    }


def _catalogue() -> dict[str, Any]:
    """Two monthly plans and a customer with a card, as a two-plan app has them."""
    basic = stripe.Product.create(name="Basic")
    pro = stripe.Product.create(name="Pro")
    cheap = stripe.Price.create(product=basic.id, unit_amount=1000, currency="usd", recurring={"interval": "month"})
    dear = stripe.Price.create(product=pro.id, unit_amount=3000, currency="usd", recurring={"interval": "month"})
    customer = stripe.Customer.create(email="plan@example.com", name="Plan Changer")
    return {"basic": basic, "pro": pro, "cheap": cheap, "dear": dear, "customer": customer}


def expand() -> dict[str, Any]:
    """`expand` on retrieve and list, dotted, `data.` on lists, `line_items` as a list object."""
    cat = _catalogue()
    sub = stripe.Subscription.create(
        customer=cat["customer"].id, items=[{"price": cat["cheap"].id}], default_payment_method="pm_card_visa"
    )
    got = stripe.Subscription.retrieve(sub.id, expand=["customer", "latest_invoice"])
    prices = stripe.Price.list(expand=["data.product"], limit=10)
    one_off = stripe.Price.create(product=cat["basic"].id, unit_amount=500, currency="usd")
    session = stripe.checkout.Session.create(
        mode="payment",
        success_url="https://example.com/ok",
        line_items=[{"price": one_off.id, "quantity": 3}],
    )
    with_items = stripe.checkout.Session.retrieve(session.id, expand=["line_items"])
    deep = stripe.checkout.Session.retrieve(session.id, expand=["line_items.data.price.product"])
    subs = stripe.Subscription.list(customer=cat["customer"].id, expand=["data.customer"])
    return {
        "customer_email": got.customer.email,
        "latest_invoice_object": got.latest_invoice.object,
        "price_product_names": sorted(p.product.name for p in prices.data),
        "line_items_object": with_items.line_items.object,
        "line_items_url": with_items.line_items.url,
        "line_item": {
            "object": with_items.line_items.data[0].object,
            "quantity": with_items.line_items.data[0].quantity,
            "price": with_items.line_items.data[0].price.id,
            "amount_total": with_items.line_items.data[0].amount_total,
        },
        "deep_product_name": deep.line_items.data[0].price.product.name,
        "listed_customer_emails": [s.customer.email for s in subs.data],
        "one_off": one_off.id,
    }


def _attempt(call: Callable[[], Any]) -> dict[str, Any]:
    try:
        call()
    except stripe.StripeError as exc:
        return _error(exc)
    return {"error": None}


def unknown_parameters() -> dict[str, Any]:
    """A query or body parameter the operation does not know, and an expansion it does not offer."""
    return {
        "query": _attempt(lambda: stripe.Customer.list(colour="blue")),
        "body": _attempt(lambda: stripe.Customer.create(email="a@example.com", colour="blue")),
        "nested": _attempt(lambda: stripe.Product.create(name="x", metadata={"a": "b"}, package={"w": 1})),
        "not_expandable": _attempt(lambda: stripe.Customer.list(expand=["data.colour"])),
    }


def error_wording() -> dict[str, Any]:
    """Missing, invalid parameters and a bad key, as Stripe words them."""
    good_key = stripe.api_key
    out = {
        "missing": _attempt(lambda: stripe.Product.create()),
        "missing_price_currency": _attempt(lambda: stripe.Price.create(product="prod_x", unit_amount=100)),
        "invalid_integer": _attempt(lambda: stripe.Customer.list(limit="many")),
        "invalid_enum": _attempt(
            lambda: stripe.checkout.Session.create(mode="barter", success_url="https://example.com/ok")
        ),
    }
    stripe.api_key = "sk_test_notarealkey0000wxyz"
    out["bad_key"] = _attempt(lambda: stripe.Customer.list())
    stripe.api_key = good_key
    return out


def plan_change() -> dict[str, Any]:
    """Upgrade with prorations, add a seat, drop an item, then the other update parameters."""
    cat = _catalogue()
    sub = stripe.Subscription.create(
        customer=cat["customer"].id, items=[{"price": cat["cheap"].id}], default_payment_method="pm_card_visa"
    )
    item_id = sub["items"].data[0].id
    upgraded = stripe.Subscription.modify(
        sub.id,
        items=[{"id": item_id, "price": cat["dear"].id, "quantity": 2}],
        proration_behavior="always_invoice",
        expand=["latest_invoice"],
    )
    invoice = upgraded.latest_invoice
    lines = stripe.Invoice.retrieve(invoice.id)["lines"].data
    extra = stripe.Subscription.modify(
        sub.id, items=[{"price": cat["cheap"].id, "quantity": 1}], proration_behavior="none"
    )
    dropped = stripe.Subscription.modify(
        sub.id,
        items=[{"id": extra["items"].data[-1].id, "deleted": True}],
        proration_behavior="create_prorations",
        trial_end="now",
        default_payment_method="pm_card_mastercard",
        payment_behavior="allow_incomplete",
        cancel_at=int(sub.current_period_end),
    )
    bad_item = _attempt(lambda: stripe.Subscription.modify(sub.id, items=[{"id": "si_missing", "quantity": 2}]))
    bad_behaviour = _attempt(lambda: stripe.Subscription.modify(sub.id, proration_behavior="sometimes"))
    events = stripe.Event.list(type="customer.subscription.updated", limit=10)
    return {
        "upgraded_items": [(i.price.id, i.quantity, i.id) for i in upgraded["items"].data],
        "item_id": item_id,
        "dear": cat["dear"].id,
        "cheap": cat["cheap"].id,
        "invoice": {"billing_reason": invoice.billing_reason, "status": invoice.status, "total": invoice.total},
        "lines": [{"amount": line.amount, "proration": line.proration, "price": line.price.id} for line in lines],
        "extra_items": [(i.price.id, i.quantity) for i in extra["items"].data],
        "dropped_items": [(i.price.id, i.quantity) for i in dropped["items"].data],
        "dropped": {
            "status": dropped.status,
            "trial_end": dropped.trial_end,
            "default_payment_method": dropped.default_payment_method,
            "cancel_at": dropped.cancel_at,
            "current_period_end": dropped.current_period_end,
        },
        "bad_item": bad_item,
        "bad_behaviour": bad_behaviour,
        "updated_previous": [sorted(e.data.to_dict().get("previous_attributes", {})) for e in events.data],
    }


SCENARIOS = {f.__name__: f for f in (expand, unknown_parameters, error_wording, plan_change)}


def main() -> None:
    """Run the scenario on stdin; print what stripe-python saw."""
    job = json.load(sys.stdin)
    stripe.api_key = job["api_key"]
    stripe.api_base = job["url"]
    stripe.max_network_retries = 0
    try:
        result = SCENARIOS[job["scenario"]]()
    except stripe.StripeError as exc:
        result = {"unexpected": _error(exc)}
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
