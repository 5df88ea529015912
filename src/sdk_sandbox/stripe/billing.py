"""What the Stripe sandbox does over time: checkout completion, charges, invoices, renewals, trials, cancellation.

Each function changes objects and returns (through `Events`) the events a real account would send, in Stripe's
usual order; the delivery worker may then shuffle or repeat them. Charges follow Stripe's test cards; the
`fail_next_payment` control makes the next charge fail whatever the card.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ..server import Context
from . import objects as obj
from .objects import CARDS, LATER_FAILS, TEST_METHODS, load, new_id, now, save

MAX_CYCLES = 120  # renewals one clock advance may run per subscription (ten years of months)


class Events:
    """The events one action emits, each with a snapshot of its object."""

    def __init__(self, ctx: Context, idempotency_key: str | None = None) -> None:
        self.ctx = ctx
        self.key = idempotency_key
        self.items: list[dict[str, Any]] = []

    def emit(self, kind: str, data: Mapping[str, Any], previous: Mapping[str, Any] | None = None) -> None:
        """Record an event of type `kind` about `data` (copied now: later changes do not show)."""
        event: dict[str, Any] = {
            "id": new_id("event"),
            "object": "event",
            "api_version": obj.API_VERSION,
            "created": now(self.ctx),
            "data": {"object": copy.deepcopy(obj.public(data))},
            "livemode": False,
            "pending_webhooks": 0,
            "request": {"id": None, "idempotency_key": self.key},
            "type": kind,
        }
        if previous is not None:
            event["data"]["previous_attributes"] = dict(previous)
        save(self.ctx.store, event)
        self.items.append(event)


class Declined(Exception):
    """A charge the card (or `fail_next_payment`) refuses: Stripe's `code` and `decline_code`."""

    def __init__(self, code: str, decline_code: str) -> None:
        super().__init__(code)
        self.code = code
        self.decline_code = decline_code


def card_number(ctx: Context, payment_method_id: str | None) -> str | None:
    """The test card behind a payment method ID (`pm_card_visa` and friends, or one the sandbox created)."""
    if payment_method_id is None:
        return None
    if payment_method_id in TEST_METHODS:
        return TEST_METHODS[payment_method_id]
    found = load(ctx.store, payment_method_id, "payment_method")
    return str(found["sandbox_card_number"]) if found else None


def check_card(ctx: Context, number: str | None, first_charge: bool = True) -> None:
    """Raise `Declined` if a charge on `number` would fail now (spends one `fail_next_payment`)."""
    pending = ctx.app.extra.get("stripe_fail_next", [])
    if pending:
        failure = pending.pop(0)
        raise Declined(failure["code"], failure["decline_code"])
    if number is None:
        raise Declined("card_declined", "generic_decline")
    outcome = CARDS.get(number, ("card_declined", "generic_decline") if number else None)
    if number == LATER_FAILS:
        outcome = ("card_declined", "generic_decline")
    if outcome is not None:
        raise Declined(*outcome)


def charge(
    ctx: Context,
    events: Events,
    amount: int,
    currency: str,
    customer_id: str | None,
    pm: str | None,
    invoice_id: str | None,
) -> tuple[dict[str, Any], Declined | None]:
    """A payment intent for `amount`, charged on `pm`: succeeded, or failed with the decline."""
    intent = obj.payment_intent(ctx, amount, currency, customer_id, invoice_id)
    events.emit("payment_intent.created", intent)
    try:
        check_card(ctx, card_number(ctx, pm))
    except Declined as declined:
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = {
            "code": declined.code,
            "decline_code": declined.decline_code,
            "type": "card_error",
        }
        save(ctx.store, intent)
        events.emit("payment_intent.payment_failed", intent)
        return intent, declined
    intent["status"] = "succeeded"
    intent["payment_method"] = pm
    save(ctx.store, intent)
    events.emit(
        "charge.succeeded",
        {
            "id": f"ch_{intent['id'][3:]}",
            "object": "charge",
            "amount": amount,
            "currency": currency,
            "customer": customer_id,
            "payment_intent": intent["id"],
            "paid": True,
            "status": "succeeded",
        },
    )
    events.emit("payment_intent.succeeded", intent)
    return intent, None


def pay_invoice(ctx: Context, events: Events, invoice: dict[str, Any], pm: str | None) -> Declined | None:
    """Finalize `invoice` and collect it; the invoice's events are emitted as Stripe orders them."""
    stamp = now(ctx)
    if invoice["status"] == "draft":
        invoice["status"] = "open"
        invoice["number"] = f"SBX-{invoice['id'][-6:].upper()}"
        invoice["status_transitions"]["finalized_at"] = stamp
        invoice["hosted_invoice_url"] = None
        save(ctx.store, invoice)
        events.emit("invoice.finalized", invoice)
    declined = None
    if invoice["amount_due"] > 0:
        intent, declined = charge(
            ctx, events, invoice["amount_due"], invoice["currency"], invoice["customer"], pm, invoice["id"]
        )
        invoice["payment_intent"] = intent["id"]
        invoice["attempt_count"] += 1
        invoice["attempted"] = True
    if declined is not None:
        save(ctx.store, invoice)
        events.emit("invoice.payment_failed", invoice)
        return declined
    previous = {"status": invoice["status"], "paid": False, "amount_paid": 0}
    invoice.update(status="paid", paid=True, amount_paid=invoice["amount_due"], amount_remaining=0)
    invoice["status_transitions"]["paid_at"] = stamp
    save(ctx.store, invoice)
    events.emit("invoice.updated", invoice, previous)
    events.emit("invoice.paid", invoice)
    events.emit("invoice.payment_succeeded", invoice)
    return None


def default_method(ctx: Context, sub: Mapping[str, Any]) -> str | None:
    """The payment method a subscription charges: its own, else its customer's default."""
    if sub.get("default_payment_method"):
        return str(sub["default_payment_method"])
    customer = load(ctx.store, sub["customer"], "customer")
    settings = (customer or {}).get("invoice_settings") or {}
    value = settings.get("default_payment_method")
    return str(value) if value else None


def start_subscription(
    ctx: Context,
    events: Events,
    customer: dict[str, Any],
    items: list[tuple[dict[str, Any], int]],
    fields: Mapping[str, Any],
) -> dict[str, Any]:
    """Create a subscription the way Stripe does: born `incomplete` (or `trialing`), first invoice paid at once,
    then `active` in a later `customer.subscription.updated`."""
    sub = obj.subscription(ctx, customer["id"], items, fields)
    save(ctx.store, sub)
    events.emit("customer.subscription.created", sub)
    amount = 0 if sub["status"] == "trialing" else obj.subscription_amount(sub)
    invoice = obj.invoice(ctx, customer, sub, amount, sub["currency"], "subscription_create")
    save(ctx.store, invoice)
    events.emit("invoice.created", invoice)
    sub["latest_invoice"] = invoice["id"]
    declined = pay_invoice(ctx, events, invoice, default_method(ctx, sub))
    if declined is None and sub["status"] == "incomplete":
        sub["status"] = "active"
        save(ctx.store, sub)
        events.emit("customer.subscription.updated", sub, {"status": "incomplete"})
    else:
        save(ctx.store, sub)
    return sub


def line_items(ctx: Context, session_id: str) -> list[dict[str, Any]]:
    """The `(price, quantity)` rows a Checkout Session was created with."""
    row = load(ctx.store, f"sbxli_{session_id}", "sandbox.line_items")
    return list(row["data"]) if row else []


def complete_checkout(ctx: Context, session: dict[str, Any], number: str, email: str | None) -> tuple[Events, str]:
    """Pay an open session with test card `number`; returns the events and where the customer is redirected.

    Raises `Declined` (nothing is created) when the card is refused.
    """
    events = Events(ctx)
    mode = session["mode"]
    if mode != "setup" and (session.get("amount_total") or 0) > 0:
        check_card(ctx, number)
    elif number not in CARDS:
        raise Declined("card_declined", "generic_decline")
    customer = load(ctx.store, session["customer"], "customer") if session.get("customer") else None
    if customer is None and (mode in ("subscription", "setup") or session.get("customer_creation") == "always"):
        customer = obj.customer(ctx, {"email": session.get("customer_email") or email})
        save(ctx.store, customer)
        events.emit("customer.created", customer)
    method = obj.payment_method(ctx, number, customer["id"] if customer else None)
    save(ctx.store, method)
    if customer is not None:
        events.emit("payment_method.attached", method)
        if mode in ("subscription", "setup"):
            previous = {"invoice_settings": dict(customer["invoice_settings"])}
            customer["invoice_settings"]["default_payment_method"] = method["id"]
            save(ctx.store, customer)
            events.emit("customer.updated", customer, previous)
    rows = [
        (load(ctx.store, row["price"], "price") or {}, int(row.get("quantity", 1)))
        for row in line_items(ctx, session["id"])
    ]
    if mode == "subscription":
        assert customer is not None
        data = session.get("sandbox_subscription_data") or {}
        sub = start_subscription(ctx, events, customer, rows, data)
        invoice = load(ctx.store, sub["latest_invoice"], "invoice") or {}
        session.update(subscription=sub["id"], invoice=invoice.get("id"))
        session["payment_status"] = "paid" if invoice.get("amount_paid") else "no_payment_required"
    elif mode == "payment":
        amount = int(session.get("amount_total") or 0)
        intent, declined = charge(
            ctx,
            events,
            amount,
            session.get("currency") or "usd",
            customer["id"] if customer else None,
            method["id"],
            None,
        )
        if declined is not None:  # the fault after the check: keep the session open
            raise declined
        session.update(payment_intent=intent["id"], payment_status="paid")
    else:
        session["payment_status"] = "no_payment_required"
    session.update(status="complete", url=None, customer=customer["id"] if customer else None)
    session["customer_details"] = {"email": (customer or {}).get("email") or session.get("customer_email") or email}
    save(ctx.store, session)
    events.emit("checkout.session.completed", session)
    redirect = str(session.get("success_url") or "").replace("{CHECKOUT_SESSION_ID}", session["id"])
    return events, redirect


def _renew(ctx: Context, events: Events, sub: dict[str, Any]) -> None:
    """One period boundary of `sub`: trial end or renewal, paid or failed; or the end of a cancelling one."""
    stamp = sub["current_period_end"]
    if sub.get("cancel_at") and sub["cancel_at"] < stamp:  # `cancel_at` inside the period: it ends then
        stamp = sub["cancel_at"]
    if sub["cancel_at_period_end"] or (sub.get("cancel_at") and sub["cancel_at"] <= stamp):
        previous = {"status": sub["status"]}
        sub.update(status="canceled", canceled_at=stamp, ended_at=stamp)
        save(ctx.store, sub)
        events.emit("customer.subscription.deleted", sub, previous)
        return
    first = sub["items"]["data"][0]["price"]
    recurring = first.get("recurring") or {"interval": "month", "interval_count": 1}
    previous = {
        "current_period_start": sub["current_period_start"],
        "current_period_end": sub["current_period_end"],
        "status": sub["status"],
    }
    was_trial = sub["status"] == "trialing"
    sub["current_period_start"] = stamp
    sub["current_period_end"] = obj.add_interval(stamp, recurring["interval"], recurring["interval_count"])
    customer = load(ctx.store, sub["customer"], "customer") or {"id": sub["customer"], "email": None}
    pending = sub.pop("sandbox_pending_items", [])
    amount = obj.subscription_amount(sub) + sum(int(item["amount"]) for item in pending)
    invoice = obj.invoice(ctx, customer, sub, max(0, amount), sub["currency"], "subscription_cycle")
    invoice["lines"]["data"] += [
        as_invoice_line(invoice["id"], item, len(invoice["lines"]["data"]) + index)
        for index, item in enumerate(pending)
    ]
    save(ctx.store, invoice)
    events.emit("invoice.created", invoice)
    sub["latest_invoice"] = invoice["id"]
    declined = pay_invoice(ctx, events, invoice, default_method(ctx, sub))
    sub["status"] = "past_due" if declined is not None else "active"
    if was_trial:
        sub["trial_end"] = stamp
    save(ctx.store, sub)
    events.emit("customer.subscription.updated", sub, previous)


def advance(ctx: Context) -> Events:
    """Run everything due on the sandbox clock: trial reminders and ends, renewals, period-end cancels, expiries."""
    events = Events(ctx)
    stamp = now(ctx)
    for session in obj.all_of(ctx.store, "checkout.session"):
        if session["status"] == "open" and session["expires_at"] <= stamp:
            session.update(status="expired", url=None)
            save(ctx.store, session)
            events.emit("checkout.session.expired", session)
    for sub in reversed(obj.all_of(ctx.store, "subscription")):
        for _ in range(MAX_CYCLES):
            if sub["status"] in ("canceled", "incomplete", "incomplete_expired"):
                break
            trial_end = sub.get("trial_end")
            reminder_due = sub["status"] == "trialing" and trial_end and stamp >= trial_end - 3 * 86400
            if reminder_due and not sub.get("sandbox_trial_reminded"):
                sub["sandbox_trial_reminded"] = True
                save(ctx.store, sub)
                events.emit("customer.subscription.trial_will_end", sub)
            due = min(sub["current_period_end"], sub.get("cancel_at") or sub["current_period_end"])
            if due > stamp:
                break
            _renew(ctx, events, sub)
    return events


def cancel_now(ctx: Context, events: Events, sub: dict[str, Any]) -> dict[str, Any]:
    """DELETE: canceled at once."""
    stamp = now(ctx)
    previous = {"status": sub["status"]}
    sub.update(status="canceled", canceled_at=stamp, ended_at=stamp, cancel_at=None)
    save(ctx.store, sub)
    events.emit("customer.subscription.deleted", sub, previous)
    return sub


# Plan changes ----------------------------------------------------------------------------------------------------


def _same(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    return bool(before["price"]["id"] == after["price"]["id"] and before.get("quantity") == after.get("quantity"))


def _proration(ctx: Context, sub: Mapping[str, Any], item: Mapping[str, Any], amount: int, text: str) -> dict[str, Any]:
    """One proration invoice item (`invoiceitem`), as Stripe creates it for a mid-period change."""
    stamp = now(ctx)
    product = load(ctx.store, str(item["price"].get("product")), "product") or {}
    quantity = int(item.get("quantity") or 1)
    return {
        "id": f"ii_{new_id('event')[4:]}",
        "object": "invoiceitem",
        "amount": amount,
        "currency": sub["currency"],
        "customer": sub["customer"],
        "date": stamp,
        "description": f"{text} {quantity} x {product.get('name', item['price']['id'])}",
        "invoice": None,
        "livemode": False,
        "period": {"start": stamp, "end": sub["current_period_end"]},
        "price": item["price"],
        "proration": True,
        "quantity": quantity,
        "subscription": sub["id"],
        "subscription_item": item["id"],
    }


def prorations(
    ctx: Context, sub: Mapping[str, Any], before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """What a change of items mid-period owes: a credit for the unused time of every item that changed or went,
    a charge for the remaining time of every item that changed or came (Stripe's per-second proration)."""
    start, end, stamp = sub["current_period_start"], sub["current_period_end"], now(ctx)
    if sub["status"] == "trialing" or end <= stamp:
        return []
    fraction = (end - stamp) / max(1, end - start)
    old = {item["id"]: item for item in before}
    new = {item["id"]: item for item in after}

    def cost(item: Mapping[str, Any]) -> int:
        return int(item["price"].get("unit_amount") or 0) * int(item.get("quantity") or 1)

    lines = [
        _proration(ctx, sub, item, -round(cost(item) * fraction), "Unused time on")
        for item in before
        if item["id"] not in new or not _same(item, new[item["id"]])
    ]
    lines += [
        _proration(ctx, sub, item, round(cost(item) * fraction), "Remaining time on")
        for item in after
        if item["id"] not in old or not _same(old[item["id"]], item)
    ]
    return lines


def as_invoice_line(invoice_id: str, item: Mapping[str, Any], index: int) -> dict[str, Any]:
    """A pending invoice item as a line of the invoice that collects it."""
    return {
        "id": f"il_{invoice_id[3:]}{index}",
        "object": "line_item",
        "amount": item["amount"],
        "currency": item["currency"],
        "description": item["description"],
        "invoice_item": item["id"],
        "period": item["period"],
        "price": item["price"],
        "proration": True,
        "quantity": item["quantity"],
        "subscription": item["subscription"],
        "subscription_item": item["subscription_item"],
        "type": "invoiceitem",
    }


def invoice_prorations_now(
    ctx: Context, events: Events, sub: dict[str, Any], items: list[dict[str, Any]]
) -> tuple[dict[str, Any], Declined | None]:
    """`proration_behavior=always_invoice`: an invoice of the prorations at once (`subscription_update`), collected
    on the subscription's card; a credit larger than the charge leaves nothing due."""
    customer = load(ctx.store, sub["customer"], "customer") or {"id": sub["customer"], "email": None}
    total = sum(int(item["amount"]) for item in items)
    invoice = obj.invoice(ctx, customer, None, max(0, total), sub["currency"], "subscription_update")
    invoice.update(subscription=sub["id"], total=total, subtotal=total)
    invoice["lines"]["data"] = [as_invoice_line(invoice["id"], item, index) for index, item in enumerate(items)]
    for item in items:
        item["invoice"] = invoice["id"]
        events.emit("invoiceitem.created", item)
    save(ctx.store, invoice)
    events.emit("invoice.created", invoice)
    sub["latest_invoice"] = invoice["id"]
    return invoice, pay_invoice(ctx, events, invoice, default_method(ctx, sub))


def keep_for_next_invoice(events: Events, sub: dict[str, Any], items: list[dict[str, Any]]) -> None:
    """`proration_behavior=create_prorations`: pending invoice items the next renewal invoice collects."""
    for item in items:
        events.emit("invoiceitem.created", item)
    sub["sandbox_pending_items"] = [*sub.get("sandbox_pending_items", []), *items]


def end_trial_now(ctx: Context, events: Events, sub: dict[str, Any]) -> Declined | None:
    """`trial_end=now` on a trialing subscription: a new period starts now and its first invoice is collected."""
    stamp = now(ctx)
    recurring = sub["items"]["data"][0]["price"].get("recurring") or {"interval": "month", "interval_count": 1}
    sub.update(trial_end=stamp, current_period_start=stamp, billing_cycle_anchor=stamp)
    sub["current_period_end"] = obj.add_interval(stamp, recurring["interval"], recurring["interval_count"])
    customer = load(ctx.store, sub["customer"], "customer") or {"id": sub["customer"], "email": None}
    invoice = obj.invoice(ctx, customer, sub, obj.subscription_amount(sub), sub["currency"], "subscription_update")
    save(ctx.store, invoice)
    events.emit("invoice.created", invoice)
    sub["latest_invoice"] = invoice["id"]
    declined = pay_invoice(ctx, events, invoice, default_method(ctx, sub))
    sub["status"] = "past_due" if declined is not None else "active"
    return declined
