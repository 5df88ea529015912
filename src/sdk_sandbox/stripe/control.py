"""The Stripe sandbox's control endpoints (`/sandbox/...` of stripe/control.yaml) and its hosted checkout page.

The hosted page pays a Checkout Session with a test card; the JSON twins complete a session, run what
`stripe trigger <event>` runs, move the sandbox clock, decline the next charges, name objects by an alias, and
show or tune webhook delivery.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from ..server import Context, Reply
from ..validation import Rejection, ValidRequest
from . import billing, deliveries
from . import objects as obj
from .billing import Declined, Events
from .errors import CARD_MESSAGES, error_reply, missing
from .objects import load, public, save

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox checkout</title>
<style>body{{font:16px system-ui;max-width:28rem;margin:3rem auto}}label{{display:block;margin:.8rem 0}}
input{{width:100%;padding:.4rem}}.error{{color:#b00}}</style></head>
<body><h1>Pay {amount}</h1><p>Sandbox checkout ({mode}) &middot; session <code>{session}</code></p>
{error}<form method="post" action="/sandbox/checkout/{session}/pay">
<label>Email <input name="email" type="email" value="{email}"></label>
<label>Card number <input name="card_number" value="4242424242424242" inputmode="numeric"></label>
<p>Test cards: 4242424242424242 pays; 4000000000000002 is declined; 4000000000009995 has insufficient funds.</p>
<button type="submit">Pay</button></form>
{cancel}</body></html>
"""


def _page_html(session: Mapping[str, Any], error: str = "") -> bytes:
    amount = f"{(session.get('amount_total') or 0) / 100:.2f} {str(session.get('currency') or 'usd').upper()}"
    cancel = session.get("cancel_url")
    return PAGE.format(
        amount=html.escape(amount),
        mode=html.escape(str(session["mode"])),
        session=html.escape(str(session["id"])),
        email=html.escape(str(session.get("customer_email") or "")),
        error=f'<p class="error">{html.escape(error)}</p>' if error else "",
        cancel=f'<p><a href="{html.escape(str(cancel))}">Cancel</a></p>' if cancel else "",
    ).encode()


HTML = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


def checkout_page(ctx: Context, req: ValidRequest) -> Reply:
    """GET /sandbox/checkout/{session}: the hosted page of an open session."""
    session = load(ctx.store, req.path["session"], "checkout.session")
    if session is None:
        return Reply(404, b"<!doctype html><p>No such checkout session.</p>", HTML)
    if session["status"] != "open":
        return Reply(410, f"<!doctype html><p>This checkout session is {session['status']}.</p>".encode(), HTML)
    return Reply(200, _page_html(session), HTML)


def complete(ctx: Context, session_id: str, card: str, email: str | None) -> tuple[Reply | None, Events, str]:
    """Pay an open session with a test card: `(refusal or None, events, redirect URL)`."""
    session = load(ctx.store, session_id, "checkout.session")
    if session is None:
        return (
            Reply(404, {"error": {"type": "invalid_request_error", "message": "No such checkout session"}}),
            Events(ctx),
            "",
        )
    if session["status"] != "open":
        return (
            Reply(409, {"error": {"type": "invalid_request_error", "message": f"session is {session['status']}"}}),
            Events(ctx),
            "",
        )
    card_digits = "".join(ch for ch in card if ch.isdigit())
    try:
        events, redirect = billing.complete_checkout(ctx, session, card_digits, email)
    except Declined as declined:
        reply = Reply(
            402,
            {
                "error": {
                    "type": "card_error",
                    "code": declined.code,
                    "decline_code": declined.decline_code,
                    "message": CARD_MESSAGES.get(declined.code, "Your card was declined."),
                }
            },
        )
        return reply, Events(ctx), ""
    return None, events, redirect


def pay_page(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/checkout/{session}/pay (the page's form): pay, deliver the events, redirect to success_url."""
    body = req.body or {}
    problem, events, redirect = complete(ctx, req.path["session"], str(body.get("card_number", "")), body.get("email"))
    if problem is not None:
        session = load(ctx.store, req.path["session"], "checkout.session")
        message = problem.body["error"]["message"]
        page = _page_html(session, message) if session and session["status"] == "open" else message.encode()
        return Reply(problem.status, page, HTML)
    deliveries.enqueue(ctx.app, events.items)
    return Reply(303, None, {"Location": redirect, "Cache-Control": "no-store"})


def complete_session(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/stripe/checkout/{session}/complete: pay without the page (JSON)."""
    body = req.body or {}
    problem, events, redirect = complete(
        ctx, req.path["session"], body.get("card_number", "4242424242424242"), body.get("email")
    )
    if problem is not None:
        return problem
    deliveries.enqueue(ctx.app, events.items)
    session = load(ctx.store, req.path["session"], "checkout.session") or {}
    return Reply(200, {"session": public(session), "redirect": redirect, "events": [e["type"] for e in events.items]})


def trigger(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/stripe/trigger: run the calls `stripe trigger <event>` makes, with the events they fire."""
    kind = req.body["event"]
    events = Events(ctx)
    product = obj.product(ctx, {"name": "myproduct"})
    save(ctx.store, product)
    events.emit("product.created", product)
    recurring = kind.startswith("customer.subscription") or kind.startswith("invoice")
    price = obj.price(
        ctx,
        {
            "currency": "usd",
            "unit_amount": 1500 if not kind.startswith("invoice") else 2000,
            "product": product["id"],
            "recurring": {"interval": "month"} if recurring else None,
        },
    )
    save(ctx.store, price)
    events.emit("price.created", price)
    created: dict[str, Any] = {"product": product["id"], "price": price["id"]}
    if kind in ("checkout.session.completed", "payment_intent.succeeded"):
        if kind == "payment_intent.succeeded":
            intent, _ = billing.charge(ctx, events, 2000, "usd", None, "pm_card_visa", None)
            created["payment_intent"] = intent["id"]
        else:
            session = obj.checkout_session(
                ctx,
                {
                    "mode": "payment",
                    "success_url": "https://httpbin.org/post",
                    "cancel_url": "https://httpbin.org/post",
                },
                "",
                3000,
                "usd",
            )
            save(ctx.store, session)
            save(
                ctx.store,
                {
                    "id": f"sbxli_{session['id']}",
                    "object": "sandbox.line_items",
                    "data": [{"price": price["id"], "quantity": 2}],
                },
            )
            done, _ = billing.complete_checkout(ctx, session, "4242424242424242", None)
            events.items.extend(done.items)
            created["checkout_session"] = session["id"]
    elif kind in (
        "customer.created",
        "customer.subscription.created",
        "customer.subscription.deleted",
        "invoice.paid",
        "invoice.payment_succeeded",
    ):
        customer = obj.customer(ctx, {"email": "stripe@example.com", "name": "Jenny Rosen"})
        customer["invoice_settings"]["default_payment_method"] = "pm_card_visa"
        save(ctx.store, customer)
        events.emit("customer.created", customer)
        created["customer"] = customer["id"]
        if kind != "customer.created":
            sub = billing.start_subscription(
                ctx, events, customer, [(price, 1)], {"default_payment_method": "pm_card_visa"}
            )
            created["subscription"] = sub["id"]
            if kind == "customer.subscription.deleted":
                billing.cancel_now(ctx, events, sub)
    else:
        raise Rejection(400, "VALIDATION_ERROR", "Validation failed", {"event": ["is not a supported trigger"]})
    deliveries.enqueue(ctx.app, events.items)
    return Reply(200, {"created": created, "events": [{"id": e["id"], "type": e["type"]} for e in events.items]})


def advance_clock(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/stripe/advance: move the sandbox clock forward and run what fell due."""
    body = req.body
    seconds = float(body.get("seconds", 0)) + float(body.get("days", 0)) * 86400
    if "to" in body:
        seconds = max(0.0, float(body["to"]) - ctx.app.now())
    ctx.app.clock_offset += seconds
    events = billing.advance(ctx)
    deliveries.enqueue(ctx.app, events.items)
    return Reply(200, {"now": int(ctx.app.now()), "events": [{"id": e["id"], "type": e["type"]} for e in events.items]})


def fail_next_payment(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/stripe/fail_next_payment: the next `count` charges are declined."""
    body = req.body or {}
    failures = ctx.app.extra.setdefault("stripe_fail_next", [])
    for _ in range(int(body.get("count", 1))):
        failures.append(
            {"code": body.get("code", "card_declined"), "decline_code": body.get("decline_code", "insufficient_funds")}
        )
    return Reply(201, {"pending": len(failures)})


def create_alias(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/stripe/aliases: another ID for an existing object, such as a guide's `price_1234567890`.

    The alias must carry the target kind's prefix (`cus_...` for a customer); naming it again re-points it. Every
    request then reads it as the target's ID: in paths, list filters and the objects a body refers to."""
    alias, target = req.body["alias"], obj.canonical_id(ctx.store, req.body["id"])
    found = load(ctx.store, target)
    if found is None or found["object"] not in obj.PREFIXES:
        return missing("object", req.body["id"])
    prefix = obj.PREFIXES[found["object"]]
    if not alias.startswith(f"{prefix}_"):
        return error_reply(400, f"An alias of a {found['object']} starts with {prefix}_.", param="alias")
    existing = ctx.store.one("SELECT kind FROM objects WHERE id = ?", (alias,))
    if existing is not None and existing["kind"] != obj.ALIAS:
        return error_reply(409, f"{alias!r} is already the ID of a {existing['kind']}.", code="resource_already_exists")
    save(ctx.store, {"id": alias, "object": obj.ALIAS, "target": found["id"]})
    return Reply(201, {"alias": alias, "id": found["id"], "object": found["object"]})


def list_deliveries(ctx: Context, req: ValidRequest) -> Reply:
    """GET /sandbox/stripe/deliveries."""
    rows = deliveries.listing(ctx.app, req.query.get("event_id"), req.query.get("status"))
    return Reply(200, {"deliveries": rows, "pending": sum(1 for row in rows if row["status"] == "pending")})


def delivery_settings(ctx: Context, req: ValidRequest) -> Reply:
    """PUT /sandbox/stripe/delivery: shuffle, duplicate, retry delays."""
    current = deliveries.settings(ctx.app)
    current.update({k: v for k, v in req.body.items() if k in ("shuffle", "duplicate", "retry_delays", "seed")})
    return Reply(200, current)
