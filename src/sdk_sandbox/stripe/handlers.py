"""The Stripe sandbox's upstream API: one handler per operationId of openapi/stripe.yaml.

Each handler reads a validated request, changes objects through `objects` and `billing`, and answers with the
object as the API shows it; `expand` is applied to every answer by the app's wiring (`expansion`), and the events
an action fires are queued for delivery before it answers.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from ..server import Context, Reply
from ..validation import ValidRequest
from . import billing, deliveries
from . import objects as obj
from .billing import Declined, Events
from .errors import CARD_MESSAGES, error_reply, missing
from .objects import load, public, save

DEFAULT_LIMIT = 10


def idempotency_key(req: ValidRequest) -> str | None:
    """The request's `Idempotency-Key`, recorded on the events it fires."""
    value = req.headers.get("Idempotency-Key")
    return str(value) if value else None


def _finish(ctx: Context, events: Events, reply: Reply) -> Reply:
    """Queue the events for delivery, then answer."""
    deliveries.enqueue(ctx.app, events.items)
    return reply


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


def get_one(kind: str, param: str) -> Callable[[Context, ValidRequest], Reply]:
    """The handler of a retrieve: the object of `kind` named by path parameter `param`, or its 404."""

    def handler(ctx: Context, req: ValidRequest) -> Reply:
        found = load(ctx.store, req.path[param], kind)
        return Reply(200, public(found)) if found is not None else missing(kind, req.path[param])

    return handler


# Products and prices ---------------------------------------------------------------------------------------------


def post_products(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/products."""
    product = obj.product(ctx, req.body)
    save(ctx.store, product)
    events = Events(ctx, idempotency_key(req))
    events.emit("product.created", product)
    return _finish(ctx, events, Reply(200, public(product)))


def get_products(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/products."""
    return _page(ctx, req, "product", "/v1/products", _matches(req, "active"))


def post_prices(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/prices."""
    if "product" not in req.body:
        return error_reply(400, "Missing required param: product.", code="parameter_missing", param="product")
    if load(ctx.store, req.body["product"], "product") is None:
        return missing("product", req.body["product"], "product")
    price = obj.price(ctx, req.body)
    save(ctx.store, price)
    events = Events(ctx, idempotency_key(req))
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
    events = Events(ctx, idempotency_key(req))
    events.emit("customer.created", customer)
    return _finish(ctx, events, Reply(200, public(customer)))


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
    events = Events(ctx, idempotency_key(req))
    events.emit("customer.updated", customer, previous)
    return _finish(ctx, events, Reply(200, public(customer)))


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
        return error_reply(
            400, "You may only specify one of these parameters: customer, customer_email.", param="customer_email"
        )
    if body.get("customer") and load(ctx.store, body["customer"], "customer") is None:
        return missing("customer", body["customer"], "customer")
    rows = body.get("line_items") or []
    if mode != "setup" and not rows:
        return error_reply(
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
            return error_reply(
                400, "You must provide at least one recurring price in `subscription` mode.", param="line_items"
            )
        if mode == "payment" and price["type"] == "recurring":
            return error_reply(
                400, "You specified `payment` mode but passed a recurring price.", param=f"line_items[{index}][price]"
            )
        amount += int(price.get("unit_amount") or 0) * int(row.get("quantity", 1))
        currency = currency or price["currency"]
    if "subscription_data" in body and mode != "subscription":
        return error_reply(400, "subscription_data can only be used in subscription mode.", param="subscription_data")
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
    return Reply(200, public(session))


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
        return error_reply(
            400,
            'Only Checkout Sessions with a status in ["open"] can be expired. '
            f'This Checkout Session has a status of "{session["status"]}".',
        )
    session.update(status="expired", url=None)
    save(ctx.store, session)
    events = Events(ctx, idempotency_key(req))
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
        return error_reply(400, "Missing required param: items.", code="parameter_missing", param="items")
    items: list[tuple[dict[str, Any], int]] = []
    for index, row in enumerate(rows):
        price = load(ctx.store, str(row.get("price", "")), "price")
        if price is None:
            return missing("price", str(row.get("price", "")), f"items[{index}][price]")
        if price["type"] != "recurring":
            return error_reply(
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
            return error_reply(
                400, "This customer has no attached payment source or default payment method.", code="resource_missing"
            )
        if behaviour == "error_if_incomplete":
            try:
                billing.check_card(ctx, billing.card_number(ctx, str(pm)))
            except Declined as declined:
                return card_error(declined)
    events = Events(ctx, idempotency_key(req))
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
    return _finish(ctx, events, Reply(200, public(sub)))


def card_error(declined: Declined) -> Reply:
    """Stripe's 402 `card_error` for a declined charge."""
    return error_reply(
        402,
        CARD_MESSAGES.get(declined.code, "Your card was declined."),
        code=declined.code,
        decline_code=declined.decline_code,
    )


UPDATABLE_WHEN_CANCELED = {"metadata", "cancellation_details", "expand"}


def _new_items(ctx: Context, sub: Mapping[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]] | Reply:
    """The subscription's items after an update's `items` (by `id`: a new price or quantity, or `deleted`;
    without `id`: a new item), or Stripe's refusal."""
    items = [dict(item) for item in sub["items"]["data"]]
    for index, row in enumerate(rows):
        price = None
        if "price" in row:
            price = load(ctx.store, str(row["price"]), "price")
            if price is None:
                return missing("price", str(row["price"]), f"items[{index}][price]")
            if price["type"] != "recurring":
                return error_reply(
                    400,
                    "The price specified is set to `type=one_time` but this field only accepts prices with "
                    "`type=recurring`.",
                    param=f"items[{index}][price]",
                )
        if "id" in row:
            found = next((item for item in items if item["id"] == row["id"]), None)
            if found is None:
                return error_reply(
                    400, f"Invalid subscription_item: {row['id']}", code="resource_missing", param=f"items[{index}][id]"
                )
            if row.get("deleted"):
                items.remove(found)
                continue
            found.update(
                {
                    **({"price": public(price)} if price else {}),
                    **({"quantity": row["quantity"]} if "quantity" in row else {}),
                }
            )
        elif row.get("deleted"):
            return error_reply(
                400,
                "Missing required param: items[{index}][id].",
                code="parameter_missing",
                param=f"items[{index}][id]",
            )
        elif price is None:
            return error_reply(
                400,
                f"Missing required param: items[{index}][price].",
                code="parameter_missing",
                param=f"items[{index}][price]",
            )
        else:
            items.append(
                {
                    "id": obj.new_id("subscription_item"),
                    "object": "subscription_item",
                    "created": obj.now(ctx),
                    "metadata": {},
                    "price": public(price),
                    "quantity": int(row.get("quantity", 1)),
                    "subscription": sub["id"],
                }
            )
    if not items:
        return error_reply(400, "A subscription must have at least one active price.", param="items")
    intervals = {
        (
            item["price"]["recurring"]["interval"],
            item["price"]["recurring"].get("interval_count", 1),
            item["price"]["currency"],
        )
        for item in items
    }
    if len(intervals) > 1:
        return error_reply(
            400, "Currency and interval fields must match across all plans on this subscription.", param="items"
        )
    return items


def post_subscription(ctx: Context, req: ValidRequest) -> Reply:
    """POST /v1/subscriptions/{id}: a plan change (`items`, prorated per `proration_behavior`), `cancel_at`,
    `cancel_at_period_end`, `trial_end`, `default_payment_method`, `metadata`, `description`.

    `payment_behavior` decides what a failed proration charge does: `allow_incomplete` (default) and
    `default_incomplete` keep the change and leave the subscription `past_due`; `error_if_incomplete` and
    `pending_if_incomplete` refuse the change with Stripe's 402.
    """
    sub = load(ctx.store, req.path["subscription_exposed_id"], "subscription")
    if sub is None:
        return missing("subscription", req.path["subscription_exposed_id"], "subscription_exposed_id")
    body = req.body or {}
    if sub["status"] == "canceled" and set(body) - UPDATABLE_WHEN_CANCELED:
        return error_reply(400, "A canceled subscription can only update its cancellation_details and metadata.")
    pm = body.get("default_payment_method")
    if pm and billing.card_number(ctx, str(pm)) is None:
        return missing("PaymentMethod", str(pm), "default_payment_method")
    items = _new_items(ctx, sub, body["items"]) if body.get("items") else None
    if isinstance(items, Reply):
        return items
    behaviour = body.get("payment_behavior", "allow_incomplete")
    lines = billing.prorations(ctx, sub, sub["items"]["data"], items) if items is not None else []
    proration = body.get("proration_behavior", "create_prorations")
    due = sum(int(line["amount"]) for line in lines) if proration == "always_invoice" else 0
    if due > 0 and behaviour in ("error_if_incomplete", "pending_if_incomplete"):
        try:
            billing.check_card(ctx, billing.card_number(ctx, str(pm) if pm else billing.default_method(ctx, sub)))
        except Declined as declined:
            return card_error(declined)
    previous: dict[str, Any] = {}
    if items is not None:
        previous["items"] = copy.deepcopy(sub["items"])
        sub["items"]["data"] = items
    if pm:
        previous["default_payment_method"] = sub.get("default_payment_method")
        sub["default_payment_method"] = pm
    if "cancel_at_period_end" in body and body["cancel_at_period_end"] != sub["cancel_at_period_end"]:
        previous.update(cancel_at_period_end=sub["cancel_at_period_end"], cancel_at=sub["cancel_at"])
        sub["cancel_at_period_end"] = body["cancel_at_period_end"]
        sub["cancel_at"] = sub["current_period_end"] if body["cancel_at_period_end"] else None
    if "cancel_at" in body:
        previous.update(cancel_at=sub["cancel_at"], cancel_at_period_end=sub["cancel_at_period_end"])
        sub["cancel_at"] = body["cancel_at"] or None
        sub["cancel_at_period_end"] = False
    if "metadata" in body:
        previous["metadata"] = sub["metadata"]
        sub["metadata"] = _metadata(sub["metadata"], body["metadata"])
    if "description" in body:
        previous["description"] = sub.get("description")
        sub["description"] = body["description"] or None
    events = Events(ctx, idempotency_key(req))
    trial_end = body.get("trial_end")
    ending_trial = trial_end == "now" and sub["status"] == "trialing"
    if isinstance(trial_end, int) and trial_end != sub.get("trial_end"):
        if trial_end <= obj.now(ctx):
            return error_reply(
                400, "Invalid timestamp: must be an integer Unix timestamp in the future.", param="trial_end"
            )
        previous.update(
            trial_end=sub.get("trial_end"), status=sub["status"], current_period_end=sub["current_period_end"]
        )
        sub.update(trial_end=trial_end, status="trialing", current_period_end=trial_end)
        sub["trial_start"] = sub.get("trial_start") or obj.now(ctx)
    elif ending_trial:
        previous.update(trial_end=sub["trial_end"], status=sub["status"], current_period_end=sub["current_period_end"])
    save(ctx.store, sub)
    if previous:
        events.emit("customer.subscription.updated", sub, previous)
    refused: Declined | None = None
    if ending_trial:
        refused = billing.end_trial_now(ctx, events, sub)
    if lines and proration == "always_invoice":
        _, refused = billing.invoice_prorations_now(ctx, events, sub, lines)
    elif lines and proration == "create_prorations":
        billing.keep_for_next_invoice(events, sub, lines)
    if refused is not None and sub["status"] == "active":
        sub["status"] = "past_due"
        events.emit("customer.subscription.updated", sub, {"status": "active"})
    save(ctx.store, sub)
    return _finish(ctx, events, Reply(200, public(sub)))


def delete_subscription(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /v1/subscriptions/{id}: canceled now (`invoice_now`/`prorate` accepted, nothing to prorate)."""
    sub = load(ctx.store, req.path["subscription_exposed_id"], "subscription")
    if sub is None:
        return missing("subscription", req.path["subscription_exposed_id"], "subscription_exposed_id")
    if sub["status"] == "canceled":
        return error_reply(404, f"No such subscription: '{sub['id']}'", code="resource_missing")
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
