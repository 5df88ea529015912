"""The Stripe sandbox: `build_stripe_app()` serves openapi/stripe.yaml over SQLite, plus its control endpoints.

Beyond stripe-mock: state, Stripe's idempotency rules (same key and body replay the first answer, another body is
a 400 `idempotency_error`), a hosted checkout page that pays with test cards, the events a real checkout fires,
signed webhook delivery with retries, and a clock that runs trials and renewals.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..control import COMMON_HANDLERS, control_index
from ..server import ApiDefinition, Context, Reply, SandboxApp
from ..spec import SpecIndex
from ..specs import spec_path
from ..state import Store
from ..validation import Rejection, ValidRequest
from . import billing, deliveries
from . import objects as obj
from .billing import Declined, Events
from .objects import load, public, save
from .panel import ACTIONS as STRIPE_ACTIONS
from .panel import stripe_panel

CONTROL_SPEC = Path(__file__).with_name("control.yaml")
DEFAULT_LIMIT = 10
ERROR_TYPES = {402: "card_error", 500: "api_error", 502: "api_error", 503: "api_error", 504: "api_error"}
MESSAGES = {
    "card_declined": "Your card was declined.",
    "expired_card": "Your card has expired.",
    "incorrect_cvc": "Your card's security code is incorrect.",
    "processing_error": "An error occurred while processing your card. Try again in a little bit.",
}


def _param(field: str) -> str:
    """`line_items.0.price` as Stripe names it: `line_items[0][price]`."""
    head, *rest = field.split(".")
    return head + "".join(f"[{part}]" for part in rest)


def error_body(status: int, code: str, message: str, fields: Mapping[str, list[str]]) -> dict[str, Any]:
    """Stripe's `{"error": {type, code, message, param}}`."""
    error: dict[str, Any] = {"type": ERROR_TYPES.get(status, "invalid_request_error"), "message": message}
    if code == "idempotency_error":
        error["type"] = "idempotency_error"
    elif status == 401:
        error["message"] = "Invalid API Key provided."
    elif status == 404:
        error["code"] = "resource_missing"
    elif status == 429:
        error["code"] = "rate_limit"
        error["message"] = "Too many requests hit the API too quickly."
    elif fields:
        field, problems = next(iter(fields.items()))
        error["param"] = _param(field)
        error["code"] = "parameter_missing" if "is required" in problems else "parameter_invalid"
        error["message"] = f"Invalid {_param(field)}: {problems[0]}"
    return {"error": error}


def error_headers(status: int) -> Mapping[str, str]:
    """`Stripe-Should-Retry: true` where a retry can succeed (409, 5xx)."""
    return {"Stripe-Should-Retry": "true"} if status == 409 or status >= 500 else {}


def _error(status: int, message: str, *, code: str | None = None, param: str | None = None, **extra: Any) -> Reply:
    body = error_body(status, code or "", message, {})
    if code:
        body["error"]["code"] = code
    if param:
        body["error"]["param"] = param
    body["error"].update(extra)
    return Reply(status, body, error_headers(status))


def missing(kind: str, object_id: str, param: str = "id") -> Reply:
    """Stripe's 404 for an unknown object."""
    return _error(404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def check_credential(app: SandboxApp, credential: str) -> bool:
    """Accept the configured secret keys."""
    return credential in app.api_keys


def _setup(store: Store) -> None:
    store.script(obj.SCHEMA)


def _on_reset(app: SandboxApp) -> None:
    app.extra.pop("stripe_delivery", None)
    app.extra["stripe_fail_next"] = []


def _key(req: ValidRequest) -> str | None:
    value = req.headers.get("Idempotency-Key")
    return str(value) if value else None


def _finish(ctx: Context, events: Events, reply: Reply) -> Reply:
    deliveries.enqueue(ctx.app, events.items)
    return reply


def _expand(ctx: Context, data: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    shown = public(data)
    for name in fields or []:
        value = shown.get(name)
        if name == "line_items" and shown.get("object") == "checkout.session":
            shown["line_items"] = obj.listing(
                f"/v1/checkout/sessions/{shown['id']}/line_items", billing.line_items(ctx, shown["id"])
            )
        elif isinstance(value, str):
            found = load(ctx.store, value)
            if found is not None:
                shown[name] = public(found)
    return shown


def _page(ctx: Context, req: ValidRequest, kind: str, url: str, keep: Callable[[dict[str, Any]], bool]) -> Reply:
    rows = [row for row in obj.all_of(ctx.store, kind) if keep(row)]
    after, before = req.query.get("starting_after"), req.query.get("ending_before")
    ids = [row["id"] for row in rows]
    if after is not None:
        if after not in ids:
            return missing(kind, after, "starting_after")
        rows = rows[ids.index(after) + 1 :]
    elif before is not None:
        if before not in ids:
            return missing(kind, before, "ending_before")
        rows = rows[: ids.index(before)]
    limit = int(req.query.get("limit", DEFAULT_LIMIT))
    if before is not None and after is None:
        page, has_more = rows[-limit:], len(rows) > limit
    else:
        page, has_more = rows[:limit], len(rows) > limit
    return Reply(200, obj.listing(url, [public(row) for row in page], has_more))


def _matches(req: ValidRequest, *names: str) -> Callable[[dict[str, Any]], bool]:
    wanted = {name: req.query[name] for name in names if name in req.query}
    return lambda row: all(row.get(name) == value for name, value in wanted.items())


def _get(kind: str, param: str) -> Callable[[Context, ValidRequest], Reply]:
    def handler(ctx: Context, req: ValidRequest) -> Reply:
        found = load(ctx.store, req.path[param], kind)
        return Reply(200, public(found)) if found is not None else missing(kind, req.path[param])

    return handler


# Products and prices ---------------------------------------------------------------------------------------------


def post_products(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/products."""
    product = obj.product(ctx, req.body)
    save(ctx.store, product)
    events = Events(ctx, _key(req))
    events.emit("product.created", product)
    return _finish(ctx, events, Reply(200, public(product)))


def get_products(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/products."""
    return _page(ctx, req, "product", "/v1/products", _matches(req, "active"))


def post_prices(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/prices."""
    if "product" not in req.body:
        return _error(400, "Missing required param: product.", code="parameter_missing", param="product")
    if load(ctx.store, req.body["product"], "product") is None:
        return missing("product", req.body["product"], "product")
    price = obj.price(ctx, req.body)
    save(ctx.store, price)
    events = Events(ctx, _key(req))
    events.emit("price.created", price)
    return _finish(ctx, events, Reply(200, public(price)))


def get_prices(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/prices."""
    return _page(ctx, req, "price", "/v1/prices", _matches(req, "active", "product"))


# Customers -------------------------------------------------------------------------------------------------------


def post_customers(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/customers."""
    body = req.body or {}
    customer = obj.customer(ctx, {**body, "metadata": _metadata({}, body.get("metadata"))})
    save(ctx.store, customer)
    events = Events(ctx, _key(req))
    events.emit("customer.created", customer)
    return _finish(ctx, events, Reply(200, _expand(ctx, customer, body.get("expand"))))


def _metadata(current: Mapping[str, str], update: object) -> dict[str, str]:
    """Stripe's metadata update: `""` clears all, a key set to `""` is removed, others are set."""
    if update == "" or update is None:
        return {} if update == "" else dict(current)
    merged = dict(current)
    for key, value in dict(update).items():  # type: ignore[call-overload]
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def post_customer(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/customers/{customer}."""
    customer = load(ctx.store, req.path["customer"], "customer")
    if customer is None or customer.get("deleted"):
        return missing("customer", req.path["customer"])
    body = req.body or {}
    previous: dict[str, Any] = {}
    for field in ("email", "name", "description", "phone"):
        if field in body:
            previous[field] = customer.get(field)
            customer[field] = body[field] or None
    if "metadata" in body:
        previous["metadata"] = customer["metadata"]
        customer["metadata"] = _metadata(customer["metadata"], body["metadata"])
    save(ctx.store, customer)
    events = Events(ctx, _key(req))
    events.emit("customer.updated", customer, previous)
    return _finish(ctx, events, Reply(200, _expand(ctx, customer, body.get("expand"))))


def get_customers(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/customers."""
    return _page(
        ctx, req, "customer", "/v1/customers", lambda row: not row.get("deleted") and _matches(req, "email")(row)
    )


def get_customer(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/customers/{customer}: a deleted customer answers `{id, object, deleted: true}`."""
    customer = load(ctx.store, req.path["customer"], "customer")
    if customer is None:
        return missing("customer", req.path["customer"])
    if customer.get("deleted"):
        return Reply(200, {"id": customer["id"], "object": "customer", "deleted": True})
    return Reply(200, public(customer))


def delete_customer(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /v1/customers/{customer}: also cancels the customer's subscriptions."""
    customer = load(ctx.store, req.path["customer"], "customer")
    if customer is None or customer.get("deleted"):
        return missing("customer", req.path["customer"])
    events = Events(ctx)
    for sub in obj.all_of(ctx.store, "subscription"):
        if sub["customer"] == customer["id"] and sub["status"] not in ("canceled", "incomplete_expired"):
            billing.cancel_now(ctx, events, sub)
    customer["deleted"] = True
    save(ctx.store, customer)
    events.emit("customer.deleted", {k: v for k, v in customer.items() if k != "deleted"})
    return _finish(ctx, events, Reply(200, {"id": customer["id"], "object": "customer", "deleted": True}))


# Checkout Sessions -----------------------------------------------------------------------------------------------


def post_checkout_sessions(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/checkout/sessions: an open session whose `url` is the sandbox's hosted page."""
    body = req.body
    mode = body.get("mode", "payment")
    if body.get("customer") and body.get("customer_email"):
        return _error(
            400, "You may only specify one of these parameters: customer, customer_email.", param="customer_email"
        )
    if body.get("customer") and load(ctx.store, body["customer"], "customer") is None:
        return missing("customer", body["customer"], "customer")
    rows = body.get("line_items") or []
    if mode != "setup" and not rows:
        return _error(
            400,
            "line_items is required in payment and subscription mode.",
            code="parameter_missing",
            param="line_items",
        )
    amount, currency = 0, None
    for index, row in enumerate(rows):
        price = load(ctx.store, str(row.get("price", "")), "price")
        if price is None:
            return missing("price", str(row.get("price", "")), f"line_items[{index}][price]")
        if mode == "subscription" and price["type"] != "recurring" and index == 0:
            return _error(
                400, "You must provide at least one recurring price in `subscription` mode.", param="line_items"
            )
        if mode == "payment" and price["type"] == "recurring":
            return _error(
                400, "You specified `payment` mode but passed a recurring price.", param=f"line_items[{index}][price]"
            )
        amount += int(price.get("unit_amount") or 0) * int(row.get("quantity", 1))
        currency = currency or price["currency"]
    if "subscription_data" in body and mode != "subscription":
        return _error(400, "subscription_data can only be used in subscription mode.", param="subscription_data")
    session_id = obj.new_id("checkout.session")
    root = ctx.app.extra.get("root_url", "http://127.0.0.1")
    session = obj.checkout_session(ctx, body, f"{root}/sandbox/checkout/{session_id}", amount, currency or "usd")
    session["id"] = session_id
    session["url"] = f"{root}/sandbox/checkout/{session_id}"
    if body.get("subscription_data"):
        session["sandbox_subscription_data"] = body["subscription_data"]
    save(ctx.store, session)
    save(
        ctx.store,
        {
            "id": f"sbxli_{session_id}",
            "object": "sandbox.line_items",
            "data": [{"price": row["price"], "quantity": int(row.get("quantity", 1))} for row in rows],
        },
    )
    return Reply(200, _expand(ctx, session, body.get("expand")))


def get_checkout_sessions(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/checkout/sessions."""
    keep = _matches(req, "customer", "subscription", "payment_intent")
    return _page(ctx, req, "checkout.session", "/v1/checkout/sessions", keep)


def post_session_expire(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/checkout/sessions/{session}/expire."""
    session = load(ctx.store, req.path["session"], "checkout.session")
    if session is None:
        return missing("checkout.session", req.path["session"], "session")
    if session["status"] != "open":
        return _error(
            400,
            'Only Checkout Sessions with a status in ["open"] can be expired. '
            f'This Checkout Session has a status of "{session["status"]}".',
        )
    session.update(status="expired", url=None)
    save(ctx.store, session)
    events = Events(ctx, _key(req))
    events.emit("checkout.session.expired", session)
    return _finish(ctx, events, Reply(200, public(session)))


# Subscriptions ---------------------------------------------------------------------------------------------------


def post_subscriptions(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/subscriptions: born `incomplete` (or `trialing`), active once its first invoice is paid."""
    body = req.body
    customer = load(ctx.store, body["customer"], "customer")
    if customer is None or customer.get("deleted"):
        return missing("customer", body["customer"], "customer")
    rows = body.get("items") or []
    if not rows:
        return _error(400, "Missing required param: items.", code="parameter_missing", param="items")
    items: list[tuple[dict[str, Any], int]] = []
    for index, row in enumerate(rows):
        price = load(ctx.store, str(row.get("price", "")), "price")
        if price is None:
            return missing("price", str(row.get("price", "")), f"items[{index}][price]")
        if price["type"] != "recurring":
            return _error(
                400,
                "The price specified is set to `type=one_time` but this field only accepts prices with "
                "`type=recurring`.",
                param=f"items[{index}][price]",
            )
        items.append((price, int(row.get("quantity", 1))))
    behaviour = body.get("payment_behavior", "allow_incomplete")
    trial = body.get("trial_period_days")
    pm = body.get("default_payment_method") or (customer.get("invoice_settings") or {}).get("default_payment_method")
    due = 0 if trial else sum(int(p.get("unit_amount") or 0) * q for p, q in items)
    if due > 0 and behaviour != "default_incomplete":
        if pm is None:
            return _error(
                400, "This customer has no attached payment source or default payment method.", code="resource_missing"
            )
        if behaviour == "error_if_incomplete":
            try:
                billing.check_card(ctx, billing.card_number(ctx, str(pm)))
            except Declined as declined:
                return _card_error(declined)
    events = Events(ctx, _key(req))
    fields = {**body, "default_payment_method": body.get("default_payment_method")}
    if behaviour == "default_incomplete" and due > 0:
        sub = obj.subscription(ctx, customer["id"], items, fields)
        invoice = obj.invoice(ctx, customer, sub, due, sub["currency"], "subscription_create")
        invoice["status"] = "open"
        sub["latest_invoice"] = invoice["id"]
        save(ctx.store, invoice)
        save(ctx.store, sub)
        events.emit("customer.subscription.created", sub)
        events.emit("invoice.created", invoice)
    else:
        sub = billing.start_subscription(ctx, events, customer, items, fields)
    return _finish(ctx, events, Reply(200, _expand(ctx, sub, body.get("expand"))))


def _card_error(declined: Declined) -> Reply:
    return _error(
        402,
        MESSAGES.get(declined.code, "Your card was declined."),
        code=declined.code,
        decline_code=declined.decline_code,
    )


def post_subscription(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/subscriptions/{id}: `cancel_at_period_end` keeps the status and sets `cancel_at`."""
    sub = load(ctx.store, req.path["subscription_exposed_id"], "subscription")
    if sub is None:
        return missing("subscription", req.path["subscription_exposed_id"], "subscription_exposed_id")
    body = req.body or {}
    if sub["status"] == "canceled" and body:
        return _error(400, "A canceled subscription can only update its cancellation_details and metadata.")
    previous: dict[str, Any] = {}
    if "cancel_at_period_end" in body and body["cancel_at_period_end"] != sub["cancel_at_period_end"]:
        previous.update(cancel_at_period_end=sub["cancel_at_period_end"], cancel_at=sub["cancel_at"])
        sub["cancel_at_period_end"] = body["cancel_at_period_end"]
        sub["cancel_at"] = sub["current_period_end"] if body["cancel_at_period_end"] else None
    if "metadata" in body:
        previous["metadata"] = sub["metadata"]
        sub["metadata"] = _metadata(sub["metadata"], body["metadata"])
    if "description" in body:
        previous["description"] = sub.get("description")
        sub["description"] = body["description"] or None
    save(ctx.store, sub)
    events = Events(ctx, _key(req))
    if previous:
        events.emit("customer.subscription.updated", sub, previous)
    return _finish(ctx, events, Reply(200, _expand(ctx, sub, body.get("expand"))))


def delete_subscription(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /v1/subscriptions/{id}: canceled now (`invoice_now`/`prorate` accepted, nothing to prorate)."""
    sub = load(ctx.store, req.path["subscription_exposed_id"], "subscription")
    if sub is None:
        return missing("subscription", req.path["subscription_exposed_id"], "subscription_exposed_id")
    if sub["status"] == "canceled":
        return _error(404, f"No such subscription: '{sub['id']}'", code="resource_missing")
    events = Events(ctx)
    billing.cancel_now(ctx, events, sub)
    return _finish(ctx, events, Reply(200, public(sub)))


def get_subscriptions(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/subscriptions: canceled ones only with `status=canceled|ended|all`."""
    status = req.query.get("status")
    price = req.query.get("price")

    def keep(row: dict[str, Any]) -> bool:
        if "customer" in req.query and row["customer"] != req.query["customer"]:
            return False
        if price is not None and all(item["price"]["id"] != price for item in row["items"]["data"]):
            return False
        if status == "all":
            return True
        if status == "ended":
            return row["status"] in ("canceled", "incomplete_expired")
        if status is None:
            return row["status"] not in ("canceled", "incomplete_expired")
        return bool(row["status"] == status)

    return _page(ctx, req, "subscription", "/v1/subscriptions", keep)


# Invoices, payment intents, events, webhook endpoints ------------------------------------------------------------


def get_invoices(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/invoices."""
    return _page(ctx, req, "invoice", "/v1/invoices", _matches(req, "customer", "subscription", "status"))


def get_payment_intents(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/payment_intents."""
    return _page(ctx, req, "payment_intent", "/v1/payment_intents", _matches(req, "customer"))


def get_events(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/events (`type` may end in `.*`)."""
    wanted = req.query.get("type")

    def keep(row: dict[str, Any]) -> bool:
        if wanted is None:
            return True
        if wanted.endswith(".*"):
            return bool(str(row["type"]).startswith(wanted[:-1]))
        return bool(row["type"] == wanted)

    return _page(ctx, req, "event", "/v1/events", keep)


def post_webhook_endpoints(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/webhook_endpoints: the answer carries the signing secret."""
    endpoint = obj.webhook_endpoint(ctx, req.body)
    save(ctx.store, endpoint)
    return Reply(200, endpoint)


def get_webhook_endpoints(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/webhook_endpoints (without secrets, as Stripe lists them)."""
    reply = _page(ctx, req, "webhook_endpoint", "/v1/webhook_endpoints", lambda row: True)
    if reply.status == 200:
        for row in reply.body["data"]:
            row.pop("secret", None)
    return reply


def delete_webhook_endpoint(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /v1/webhook_endpoints/{id}."""
    endpoint_id = req.path["webhook_endpoint"]
    if load(ctx.store, endpoint_id, "webhook_endpoint") is None:
        return missing("webhook_endpoint", endpoint_id, "webhook_endpoint")
    ctx.store.execute("DELETE FROM objects WHERE id = ?", (endpoint_id,))
    ctx.store.execute(
        "UPDATE deliveries SET status = 'failed', last_error = 'endpoint deleted' "
        "WHERE endpoint_id = ? AND status = 'pending'",
        (endpoint_id,),
    )
    return Reply(200, {"id": endpoint_id, "object": "webhook_endpoint", "deleted": True})


# Control: hosted checkout, completion, trigger, clock, failures, deliveries --------------------------------------

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


def _complete(ctx: Context, session_id: str, card: str, email: str | None) -> tuple[Reply | None, Events, str]:
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
                    "message": MESSAGES.get(declined.code, "Your card was declined."),
                }
            },
        )
        return reply, Events(ctx), ""
    return None, events, redirect


def pay_page(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/checkout/{session}/pay (the page's form): pay, deliver the events, redirect to success_url."""
    body = req.body or {}
    problem, events, redirect = _complete(ctx, req.path["session"], str(body.get("card_number", "")), body.get("email"))
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
    problem, events, redirect = _complete(
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
        return _error(400, f"An alias of a {found['object']} starts with {prefix}_.", param="alias")
    existing = ctx.store.one("SELECT kind FROM objects WHERE id = ?", (alias,))
    if existing is not None and existing["kind"] != obj.ALIAS:
        return _error(409, f"{alias!r} is already the ID of a {existing['kind']}.", code="resource_already_exists")
    save(ctx.store, {"id": alias, "object": obj.ALIAS, "target": found["id"]})
    return Reply(201, {"alias": alias, "id": found["id"], "object": found["object"]})


_REFERENCES = ("customer", "price", "subscription", "payment_intent")


def _following_aliases(handler: Callable[[Context, ValidRequest], Reply]) -> Callable[[Context, ValidRequest], Reply]:
    """`handler` seeing real IDs where the request names aliases: path IDs, ID filters, and body references
    (`customer`, `line_items[].price`, `items[].price`)."""

    def with_real_ids(ctx: Context, req: ValidRequest) -> Reply:
        def real(value: Any) -> Any:
            return obj.canonical_id(ctx.store, value)

        body = req.body
        if isinstance(body, dict):
            body = {**body, **({"customer": real(body["customer"])} if "customer" in body else {})}
            for rows in ("line_items", "items"):
                if isinstance(body.get(rows), list):
                    body[rows] = [
                        {**row, "price": real(row["price"])} if isinstance(row, dict) and "price" in row else row
                        for row in body[rows]
                    ]
        return handler(
            ctx,
            attrs.evolve(
                req,
                path={name: real(value) for name, value in req.path.items()},
                query={name: real(value) if name in _REFERENCES else value for name, value in req.query.items()},
                body=body,
            ),
        )

    return with_real_ids


def list_deliveries(ctx: Context, req: ValidRequest) -> Reply:
    """GET /sandbox/stripe/deliveries."""
    rows = deliveries.listing(ctx.app, req.query.get("event_id"), req.query.get("status"))
    return Reply(200, {"deliveries": rows, "pending": sum(1 for row in rows if row["status"] == "pending")})


def delivery_settings(ctx: Context, req: ValidRequest) -> Reply:
    """PUT /sandbox/stripe/delivery: shuffle, duplicate, retry delays."""
    current = deliveries.settings(ctx.app)
    current.update({k: v for k, v in req.body.items() if k in ("shuffle", "duplicate", "retry_delays", "seed")})
    return Reply(200, current)


_STRIPE_HANDLERS: dict[str, Any] = {
    "PostProducts": post_products,
    "GetProducts": get_products,
    "GetProductsId": _get("product", "id"),
    "PostPrices": post_prices,
    "GetPrices": get_prices,
    "GetPricesPrice": _get("price", "price"),
    "PostCustomers": post_customers,
    "GetCustomers": get_customers,
    "GetCustomersCustomer": get_customer,
    "PostCustomersCustomer": post_customer,
    "DeleteCustomersCustomer": delete_customer,
    "PostCheckoutSessions": post_checkout_sessions,
    "GetCheckoutSessions": get_checkout_sessions,
    "GetCheckoutSessionsSession": _get("checkout.session", "session"),
    "PostCheckoutSessionsSessionExpire": post_session_expire,
    "PostSubscriptions": post_subscriptions,
    "GetSubscriptions": get_subscriptions,
    "GetSubscriptionsSubscriptionExposedId": _get("subscription", "subscription_exposed_id"),
    "PostSubscriptionsSubscriptionExposedId": post_subscription,
    "DeleteSubscriptionsSubscriptionExposedId": delete_subscription,
    "GetInvoices": get_invoices,
    "GetInvoicesInvoice": _get("invoice", "invoice"),
    "GetPaymentIntents": get_payment_intents,
    "GetPaymentIntentsIntent": _get("payment_intent", "intent"),
    "GetEvents": get_events,
    "GetEventsId": _get("event", "id"),
    "PostWebhookEndpoints": post_webhook_endpoints,
    "GetWebhookEndpoints": get_webhook_endpoints,
    "DeleteWebhookEndpointsWebhookEndpoint": delete_webhook_endpoint,
    "checkoutPage": checkout_page,
    "payCheckoutPage": pay_page,
    "completeCheckoutSession": complete_session,
    "triggerEvent": trigger,
    "advanceClock": advance_clock,
    "failNextPayment": fail_next_payment,
    "createAlias": create_alias,
    "listDeliveries": list_deliveries,
    "setDeliverySettings": delivery_settings,
}
HANDLERS: dict[str, Any] = {
    **{name: _following_aliases(handler) for name, handler in _STRIPE_HANDLERS.items()},
    **COMMON_HANDLERS,
}


def build_stripe_app(*, db: str | None = None, api_keys: tuple[str, ...] | None = None) -> SandboxApp:
    """The Stripe sandbox app; with no `api_keys`, one `sk_test_...` key is minted (read it from `app.api_keys`).

    Set `app.extra["root_url"]` to the sandbox's own root URL (the runner and the pytest plugin do) so that
    checkout session URLs point at its hosted page.
    """
    keys = api_keys or (f"sk_test_{secrets.token_hex(12)}",)
    definition = ApiDefinition(
        name="stripe",
        spec=SpecIndex.load(spec_path("stripe")),
        control=control_index(CONTROL_SPEC),
        handlers=HANDLERS,
        check_credential=check_credential,
        error_body=error_body,
        setup=_setup,
        tables=obj.TABLES,
        on_reset=_on_reset,
        request_id_header="Request-Id",
        idempotency_mismatch=(400, "idempotency_error"),
        idempotency_stores_5xx=True,
        error_headers=error_headers,
        dashboard=stripe_panel,
        actions=STRIPE_ACTIONS,
    )
    app = SandboxApp(definition, db=db, api_keys=keys)
    app.extra["stripe_fail_next"] = []
    return app
