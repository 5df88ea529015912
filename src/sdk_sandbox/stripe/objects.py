"""The Stripe sandbox's objects: IDs with Stripe's prefixes, rows in SQLite, and each object's JSON shape.

Every object is one row of `objects` (its JSON, the pinned `2023-08-16` shape of `openapi/stripe.yaml`), listed
newest first like Stripe's lists. Card behaviour follows Stripe's test cards and `pm_card_*` test methods.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import secrets
from collections.abc import Mapping
from typing import Any

from ..server import Context
from ..state import Store

API_VERSION = "2023-08-16"
SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_kind ON objects (kind, seq);
CREATE TABLE IF NOT EXISTS deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, event_id TEXT NOT NULL,
    endpoint_id TEXT NOT NULL, url TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER, last_error TEXT, next_at REAL NOT NULL, delivered_at REAL
);
"""
TABLES = ("deliveries", "objects")
PREFIXES = {
    "customer": "cus",
    "product": "prod",
    "price": "price",
    "checkout.session": "cs_test",
    "subscription": "sub",
    "subscription_item": "si",
    "invoice": "in",
    "payment_intent": "pi",
    "payment_method": "pm",
    "event": "evt",
    "webhook_endpoint": "we",
}
# Test cards (Stripe "Testing" page): number -> (code, decline_code) of a declined charge, or None to succeed.
CARDS: dict[str, tuple[str, str] | None] = {
    "4242424242424242": None,
    "5555555555554444": None,
    "4000000000000002": ("card_declined", "generic_decline"),
    "4000000000009995": ("card_declined", "insufficient_funds"),
    "4000000000000069": ("expired_card", "expired_card"),
    "4000000000000127": ("incorrect_cvc", "incorrect_cvc"),
    "4000000000000119": ("processing_error", "processing_error"),
    "4000000000000341": None,  # attaches; every later charge fails
}
LATER_FAILS = "4000000000000341"
TEST_METHODS = {
    "pm_card_visa": "4242424242424242",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_chargeCustomerFail": LATER_FAILS,
}


def new_id(kind: str) -> str:
    """A fresh ID with the kind's prefix (`cus_...`, `cs_test_...`)."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return f"{PREFIXES[kind]}_{''.join(secrets.choice(alphabet) for _ in range(24))}"


def save(store: Store, obj: Mapping[str, Any]) -> None:
    """Insert or replace one object."""
    body = json.dumps(obj)
    if store.execute("UPDATE objects SET body = ? WHERE id = ?", (body, obj["id"])) == 0:
        store.execute("INSERT INTO objects (id, kind, body) VALUES (?, ?, ?)", (obj["id"], obj["object"], body))


ALIAS = "sandbox.alias"
"""The kind of the rows `POST /sandbox/stripe/aliases` stores: `{"id": alias, "target": real ID}`."""


def canonical_id(store: Store, object_id: Any) -> Any:
    """The real ID an alias names, else `object_id` unchanged."""
    if not isinstance(object_id, str):
        return object_id
    row = store.one("SELECT body FROM objects WHERE id = ? AND kind = ?", (object_id, ALIAS))
    return object_id if row is None else json.loads(row["body"])["target"]


def load(store: Store, object_id: str, kind: str | None = None) -> dict[str, Any] | None:
    """One object by ID (of `kind`, when given), or None."""
    row = store.one("SELECT kind, body FROM objects WHERE id = ?", (object_id,))
    if row is None or row["kind"] == ALIAS or (kind is not None and row["kind"] != kind):
        return None
    found: dict[str, Any] = json.loads(row["body"])
    return found


def all_of(store: Store, kind: str) -> list[dict[str, Any]]:
    """Every object of `kind`, newest first."""
    rows = store.all("SELECT body FROM objects WHERE kind = ? ORDER BY seq DESC", (kind,))
    return [json.loads(row["body"]) for row in rows]


def public(data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` as the API shows it: without the sandbox's own bookkeeping keys (`sandbox_...`)."""
    return {key: value for key, value in data.items() if not key.startswith("sandbox_")}


def now(ctx: Context) -> int:
    """The sandbox clock, in whole seconds."""
    return int(ctx.clock())


def add_interval(start: int, interval: str, count: int) -> int:
    """`start` plus `count` intervals, months and years by the calendar (Jan 31 + 1 month = Feb 28/29)."""
    if interval == "day":
        return start + count * 86400
    if interval == "week":
        return start + count * 7 * 86400
    moment = dt.datetime.fromtimestamp(start, dt.UTC)
    months = count * (12 if interval == "year" else 1)
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())


def customer(ctx: Context, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A new customer object."""
    return {
        "id": new_id("customer"),
        "object": "customer",
        "created": now(ctx),
        "livemode": False,
        "email": fields.get("email"),
        "name": fields.get("name"),
        "description": fields.get("description"),
        "phone": fields.get("phone"),
        "metadata": dict(fields.get("metadata") or {}),
        "invoice_settings": {"default_payment_method": None},
    }


def product(ctx: Context, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A new product object."""
    stamp = now(ctx)
    return {
        "id": new_id("product"),
        "object": "product",
        "active": fields.get("active", True),
        "created": stamp,
        "updated": stamp,
        "default_price": None,
        "description": fields.get("description"),
        "features": [],
        "images": [],
        "livemode": False,
        "metadata": dict(fields.get("metadata") or {}),
        "name": fields["name"],
    }


def price(ctx: Context, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A new price object (recurring when `recurring[interval]` was given)."""
    recurring = fields.get("recurring")
    return {
        "id": new_id("price"),
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": now(ctx),
        "currency": fields["currency"],
        "livemode": False,
        "metadata": dict(fields.get("metadata") or {}),
        "nickname": fields.get("nickname"),
        "product": fields["product"],
        "recurring": (
            {
                "interval": recurring["interval"],
                "interval_count": recurring.get("interval_count", 1),
                "usage_type": "licensed",
            }
            if recurring
            else None
        ),
        "type": "recurring" if recurring else "one_time",
        "unit_amount": fields.get("unit_amount", 0),
    }


def payment_method(ctx: Context, card_number: str, customer_id: str | None) -> dict[str, Any]:
    """A card payment method (not served by the API subset; it decides how charges end)."""
    return {
        "id": new_id("payment_method"),
        "object": "payment_method",
        "type": "card",
        "created": now(ctx),
        "customer": customer_id,
        "livemode": False,
        "card": {"brand": "mastercard" if card_number.startswith("5") else "visa", "last4": card_number[-4:]},
        "sandbox_card_number": card_number,
    }


def listing(url: str, rows: list[dict[str, Any]], has_more: bool = False) -> dict[str, Any]:
    """Stripe's list envelope."""
    return {"object": "list", "data": rows, "has_more": has_more, "url": url}


def checkout_session(ctx: Context, fields: Mapping[str, Any], url: str, amount: int, currency: str) -> dict[str, Any]:
    """A new, open Checkout Session whose hosted page is `url`."""
    stamp = now(ctx)
    return {
        "id": new_id("checkout.session"),
        "object": "checkout.session",
        "amount_subtotal": amount,
        "amount_total": amount,
        "automatic_tax": {"enabled": False, "status": None},
        "cancel_url": fields.get("cancel_url"),
        "client_reference_id": fields.get("client_reference_id"),
        "created": stamp,
        "currency": currency,
        "custom_fields": [],
        "custom_text": {"shipping_address": None, "submit": None},
        "customer": fields.get("customer"),
        "customer_creation": None if fields.get("customer") else fields.get("customer_creation", "if_required"),
        "customer_email": fields.get("customer_email"),
        "expires_at": fields.get("expires_at", stamp + 24 * 3600),
        "invoice": None,
        "livemode": False,
        "metadata": dict(fields.get("metadata") or {}),
        "mode": fields.get("mode", "payment"),
        "payment_intent": None,
        "payment_method_types": list(fields.get("payment_method_types") or ["card"]),
        "payment_status": "unpaid",
        "shipping_options": [],
        "status": "open",
        "subscription": None,
        "success_url": fields.get("success_url"),
        "url": url,
    }


def subscription(
    ctx: Context, customer_id: str, items: list[tuple[dict[str, Any], int]], fields: Mapping[str, Any]
) -> dict[str, Any]:
    """A new subscription on `items` (price, quantity); status and periods are set by the billing flow."""
    stamp = now(ctx)
    sub_id = new_id("subscription")
    first = items[0][0]
    recurring = first["recurring"] or {"interval": "month", "interval_count": 1}
    trial_days = fields.get("trial_period_days")
    trial_end = stamp + int(trial_days) * 86400 if trial_days else None
    period_end = trial_end or add_interval(stamp, recurring["interval"], recurring["interval_count"])
    return {
        "id": sub_id,
        "object": "subscription",
        "automatic_tax": {"enabled": False},
        "billing_cycle_anchor": period_end if trial_end else stamp,
        "cancel_at": None,
        "cancel_at_period_end": bool(fields.get("cancel_at_period_end", False)),
        "canceled_at": None,
        "collection_method": "charge_automatically",
        "created": stamp,
        "currency": first["currency"],
        "current_period_end": period_end,
        "current_period_start": stamp,
        "customer": customer_id,
        "default_payment_method": fields.get("default_payment_method"),
        "description": fields.get("description"),
        "ended_at": None,
        "items": listing(
            f"/v1/subscription_items?subscription={sub_id}",
            [
                {
                    "id": new_id("subscription_item"),
                    "object": "subscription_item",
                    "created": stamp,
                    "metadata": {},
                    "price": price_obj,
                    "quantity": quantity,
                    "subscription": sub_id,
                }
                for price_obj, quantity in items
            ],
        ),
        "latest_invoice": None,
        "livemode": False,
        "metadata": dict(fields.get("metadata") or {}),
        "start_date": stamp,
        "status": "trialing" if trial_end else "incomplete",
        "trial_end": trial_end,
        "trial_start": stamp if trial_end else None,
    }


def subscription_amount(sub: Mapping[str, Any]) -> int:
    """What one period of `sub` costs."""
    return sum(
        int(item["price"].get("unit_amount") or 0) * int(item.get("quantity") or 1) for item in sub["items"]["data"]
    )


def invoice(
    ctx: Context,
    customer_obj: Mapping[str, Any],
    sub: Mapping[str, Any] | None,
    amount: int,
    currency: str,
    reason: str,
) -> dict[str, Any]:
    """A new draft invoice."""
    stamp = now(ctx)
    invoice_id = new_id("invoice")
    start = sub["current_period_start"] if sub else stamp
    end = sub["current_period_end"] if sub else stamp
    lines: list[dict[str, Any]] = []
    if sub is not None:
        for item in sub["items"]["data"]:
            line_amount = int(item["price"].get("unit_amount") or 0) * int(item.get("quantity") or 1)
            lines.append(
                {
                    "id": f"il_{invoice_id[3:]}{len(lines)}",
                    "object": "line_item",
                    "amount": 0 if reason == "subscription_create" and sub["status"] == "trialing" else line_amount,
                    "currency": currency,
                    "period": {"start": start, "end": end},
                    "price": item["price"],
                    "quantity": item.get("quantity"),
                    "subscription": sub["id"],
                    "type": "subscription",
                }
            )
    return {
        "id": invoice_id,
        "object": "invoice",
        "amount_due": amount,
        "amount_paid": 0,
        "amount_remaining": amount,
        "amount_shipping": 0,
        "attempt_count": 0,
        "attempted": False,
        "automatic_tax": {"enabled": False, "status": None},
        "billing_reason": reason,
        "collection_method": "charge_automatically",
        "created": stamp,
        "currency": currency,
        "customer": customer_obj["id"],
        "customer_email": customer_obj.get("email"),
        "default_tax_rates": [],
        "hosted_invoice_url": None,
        "lines": listing(f"/v1/invoices/{invoice_id}/lines", lines),
        "livemode": False,
        "metadata": {},
        "number": None,
        "paid": False,
        "paid_out_of_band": False,
        "payment_intent": None,
        "payment_settings": {"default_mandate": None, "payment_method_options": None, "payment_method_types": None},
        "period_end": end,
        "period_start": start,
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "starting_balance": 0,
        "status": "draft",
        "status_transitions": {
            "finalized_at": None,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        "subscription": sub["id"] if sub else None,
        "subtotal": amount,
        "total": amount,
        "total_tax_amounts": [],
    }


def payment_intent(
    ctx: Context, amount: int, currency: str, customer_id: str | None, invoice_id: str | None
) -> dict[str, Any]:
    """A new payment intent awaiting its charge."""
    intent_id = new_id("payment_intent")
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "capture_method": "automatic",
        "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
        "confirmation_method": "automatic",
        "created": now(ctx),
        "currency": currency,
        "customer": customer_id,
        "description": None,
        "invoice": invoice_id,
        "livemode": False,
        "metadata": {},
        "payment_method_types": ["card"],
        "status": "requires_payment_method",
    }


def webhook_endpoint(ctx: Context, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A new webhook endpoint, with its `whsec_` signing secret."""
    return {
        "id": new_id("webhook_endpoint"),
        "object": "webhook_endpoint",
        "api_version": fields.get("api_version"),
        "created": now(ctx),
        "description": fields.get("description"),
        "enabled_events": list(fields["enabled_events"]),
        "livemode": False,
        "metadata": dict(fields.get("metadata") or {}),
        "secret": f"whsec_{secrets.token_urlsafe(32)}",
        "status": "enabled",
        "url": fields["url"],
    }
