"""Every Stripe call once, as a `ServiceCall`: arguments checked, request built by the generated `stripe_api` client.

`StripeClient` and `AsyncStripeClient` only run these. Bodies are the generated models' (`from_dict` checks the
shapes); the generated code encodes them in Stripe's bracket form (`metadata[k]`, `line_items[0][price]`) and sends
`Stripe-Version`. Every POST carries an `Idempotency-Key` (minted here unless the caller passes one), so the
runtime's retries of a lost request cannot create a second object.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from stripe_api.api.checkout_sessions import get_checkout_sessions as api_list_sessions
from stripe_api.api.checkout_sessions import get_checkout_sessions_session as api_get_session
from stripe_api.api.checkout_sessions import post_checkout_sessions as api_create_session
from stripe_api.api.checkout_sessions import post_checkout_sessions_session_expire as api_expire_session
from stripe_api.api.customers import delete_customers_customer as api_delete_customer
from stripe_api.api.customers import get_customers as api_list_customers
from stripe_api.api.customers import get_customers_customer as api_get_customer
from stripe_api.api.customers import post_customers as api_create_customer
from stripe_api.api.customers import post_customers_customer as api_update_customer
from stripe_api.api.events import get_events as api_list_events
from stripe_api.api.events import get_events_id as api_get_event
from stripe_api.api.invoices import get_invoices as api_list_invoices
from stripe_api.api.invoices import get_invoices_invoice as api_get_invoice
from stripe_api.api.payment_intents import get_payment_intents as api_list_intents
from stripe_api.api.payment_intents import get_payment_intents_intent as api_get_intent
from stripe_api.api.prices import get_prices as api_list_prices
from stripe_api.api.prices import get_prices_price as api_get_price
from stripe_api.api.prices import post_prices as api_create_price
from stripe_api.api.products import get_products as api_list_products
from stripe_api.api.products import post_products as api_create_product
from stripe_api.api.subscriptions import delete_subscriptions_subscription_exposed_id as api_cancel_sub
from stripe_api.api.subscriptions import get_subscriptions as api_list_subs
from stripe_api.api.subscriptions import get_subscriptions_subscription_exposed_id as api_get_sub
from stripe_api.api.subscriptions import post_subscriptions as api_create_sub
from stripe_api.api.subscriptions import post_subscriptions_subscription_exposed_id as api_update_sub
from stripe_api.api.webhook_endpoints import delete_webhook_endpoints_webhook_endpoint as api_delete_endpoint
from stripe_api.api.webhook_endpoints import get_webhook_endpoints as api_list_endpoints
from stripe_api.api.webhook_endpoints import post_webhook_endpoints as api_create_endpoint
from stripe_api.models import (
    GetInvoicesStatus,
    GetSubscriptionsStatus,
    PostCheckoutSessionsBody,
    PostCheckoutSessionsSessionExpireBody,
    PostCustomersBody,
    PostCustomersCustomerBody,
    PostPricesBody,
    PostProductsBody,
    PostSubscriptionsBody,
    PostSubscriptionsSubscriptionExposedIdBody,
    PostWebhookEndpointsBody,
)

from sdk_runtime import APIResponse, Call, Operation

from .. import arguments
from ..results import InvalidArgument
from ..service import ServiceCall
from .types import (
    CheckoutSessionResult,
    CustomerResult,
    DeletedResult,
    ListResult,
    ObjectResult,
    SubscriptionResult,
)

R = TypeVar("R")
MAX_IDEMPOTENCY_KEY = 255
MODES = ("payment", "subscription", "setup")
CHECKOUT_OPTIONS = (
    "quantity",
    "line_items",
    "trial_days",
    "subscription_metadata",
    "client_reference_id",
    "allow_promotion_codes",
    "expires_at",
    "customer_creation",
    "expand",
    "idempotency_key",
)
CUSTOMER_OPTIONS = ("description", "phone", "expand", "idempotency_key")
SUBSCRIPTION_OPTIONS = (
    "quantity",
    "payment_behavior",
    "default_payment_method",
    "cancel_at_period_end",
    "description",
    "expand",
    "idempotency_key",
)
CANCEL_OPTIONS = ("invoice_now", "prorate", "idempotency_key")
# Stripe's IDs: a short prefix, an underscore, then letters and digits (`cus_...`, `cs_test_...`).
_ID_MAX = 255


def _call(kwargs: Mapping[str, Any], parse: Callable[[APIResponse], R]) -> Operation[R]:
    return Operation(Call.from_kwargs(kwargs), parse)


def _key(value: object) -> str:
    if value is None:
        return f"sdk-{uuid.uuid4()}"
    if not isinstance(value, str) or not value or len(value) > MAX_IDEMPOTENCY_KEY or not value.isprintable():
        raise InvalidArgument(f"idempotency_key must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters")
    return value


def _id(name: str, value: object) -> str:
    text = arguments.non_empty(name, value, _ID_MAX)
    if (
        any(ch in text for ch in "/?#")
        or text in (".", "..")
        or not text.isprintable()
        or any(c.isspace() for c in text)
    ):
        raise InvalidArgument(f"{name} is not a Stripe ID")
    return text


def _metadata(name: str, value: object) -> dict[str, str]:
    """Stripe metadata: at most 50 string keys of up to 40 characters, values of up to 500 (numbers are written)."""
    data = arguments.mapping(name, value)
    if len(data) > 50:
        raise InvalidArgument(f"{name} may have at most 50 keys")
    wire: dict[str, str] = {}
    for key, item in data.items():
        if not key or len(key) > 40 or "[" in key or "]" in key:
            raise InvalidArgument(f"{name} keys must be 1 to 40 characters without brackets")
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise InvalidArgument(f"{name}[{key!r}] must be a string or a number")
        text = str(item)
        if len(text) > 500:
            raise InvalidArgument(f"{name}[{key!r}] must be at most 500 characters")
        wire[key] = text
    return wire


def _described(options: Mapping[str, Any], body: dict[str, Any], description_limit: int) -> None:
    """The optional `description` and `metadata` most create/update calls take."""
    if options.get("description") is not None:
        body["description"] = arguments.non_empty("description", options["description"], description_limit)
    if options.get("metadata") is not None:
        body["metadata"] = _metadata("metadata", options["metadata"])


def _positive(name: str, value: object, maximum: int = 10**9) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise InvalidArgument(f"{name} must be an integer from 1 to {maximum}")
    return value


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name} must be True or False")
    return value


def _expand(value: object) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidArgument("expand must be a list of field names")
    return list(value)


def _limit(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise InvalidArgument("limit must be an integer from 1 to 100")
    return value


def _object(kind: str, response: APIResponse, model: Any = None) -> dict[str, Any]:
    data = response.data
    if not isinstance(data, dict) or data.get("object") != kind or not isinstance(data.get("id"), str):
        raise ValueError(f"expected a {kind}")
    if model is not None:
        model.from_dict(data)  # the shape the spec promises, or a malformed-response failure
    return data


def _session(response: APIResponse) -> CheckoutSessionResult:
    session = _object("checkout.session", response)
    session.setdefault("client_secret", None)  # seed 002's key; embedded Checkout only
    session.setdefault("payment_intent", None)
    return {"success": True, "session": session, "request_id": response.request_id}


def _customer(response: APIResponse) -> CustomerResult:
    return {"success": True, "customer": _object("customer", response), "request_id": response.request_id}


def current_period_end(subscription: Mapping[str, Any]) -> int | None:
    """Where the subscription's period ends: on the subscription (pinned 2023-08-16), else on its first item
    (Stripe moved it there in 2025-03-31)."""
    value = subscription.get("current_period_end")
    if isinstance(value, int):
        return value
    items = subscription.get("items")
    rows = items.get("data") if isinstance(items, Mapping) else None
    if isinstance(rows, list) and rows and isinstance(rows[0], Mapping):
        found = rows[0].get("current_period_end")
        return found if isinstance(found, int) else None
    return None


def _subscription(response: APIResponse) -> SubscriptionResult:
    subscription = _object("subscription", response)
    subscription["current_period_end"] = current_period_end(subscription)
    return {"success": True, "subscription": subscription, "request_id": response.request_id}


def named(kind: str, found: dict[str, Any]) -> dict[str, Any]:
    """The result keys of one object: its kind (`product`, `price`, `webhook_endpoint`, ...) and, as before,
    `object` (the same dict)."""
    return {kind: found, "object": found}


def _other(kind: str) -> Callable[[APIResponse], ObjectResult]:
    def parse(response: APIResponse) -> ObjectResult:
        result = {"success": True, **named(kind, _object(kind, response)), "request_id": response.request_id}
        return result  # type: ignore[return-value]

    return parse


def _deleted(response: APIResponse) -> DeletedResult:
    data = response.data
    if not isinstance(data, dict) or data.get("deleted") is not True or not isinstance(data.get("id"), str):
        raise ValueError("expected a deleted object")
    return {"success": True, "id": data["id"], "deleted": True, "request_id": response.request_id}


def _page(response: APIResponse) -> ListResult:
    data = response.data
    if not isinstance(data, dict) or data.get("object") != "list" or not isinstance(data.get("data"), list):
        raise ValueError("expected a list")
    rows: list[dict[str, Any]] = data["data"]
    has_more = bool(data.get("has_more"))
    last = rows[-1].get("id") if rows and isinstance(rows[-1], dict) else None
    return {
        "success": True,
        "data": rows,
        "has_more": has_more,
        "next_starting_after": last if has_more and isinstance(last, str) else None,
        "request_id": response.request_id,
    }


def _with_key(result_key: str, key: str, parse: Callable[[APIResponse], Any]) -> Callable[[APIResponse], Any]:
    def wrapped(response: APIResponse) -> Any:
        result = parse(response)
        result["idempotency_key"] = key
        return result

    wrapped.__name__ = f"{result_key}_with_key"
    return wrapped


def _post(
    name: str,
    endpoint: Any,
    model: Any,
    body: dict[str, Any],
    options: Mapping[str, Any],
    parse: Callable[[APIResponse], R],
    preview: Mapping[str, Any],
    simulated: Mapping[str, Any],
    path_args: tuple[str, ...] = (),
) -> ServiceCall[R]:
    """A POST of `body` (plus `expand` from `options`), carrying `options["idempotency_key"]` or a minted key."""
    if options.get("expand") is not None:
        body["expand"] = _expand(options["expand"])
    key = _key(options.get("idempotency_key"))
    kwargs = endpoint._get_kwargs(*path_args, body=model.from_dict(body), idempotency_key=key)
    return ServiceCall(
        name=name,
        operation=_call(kwargs, _with_key(name, key, parse)),
        preview=preview,
        simulated={**simulated, "idempotency_key": key},
    )


def _get(
    name: str, kwargs: Mapping[str, Any], parse: Callable[[APIResponse], R], simulated: Mapping[str, Any]
) -> ServiceCall[R]:
    return ServiceCall(name=name, operation=_call(kwargs, parse), preview={}, simulated=simulated)


def _simulated_session(mode: str, metadata: Mapping[str, str]) -> dict[str, Any]:
    return {
        "id": "cs_test_simulated",
        "object": "checkout.session",
        "url": "https://checkout.stripe.com/c/pay/cs_test_simulated",
        "payment_intent": None,
        "client_secret": None,
        "mode": mode,
        "status": "open",
        "metadata": dict(metadata),
    }


# Checkout Sessions ----------------------------------------------------------------------------------------------


def create_checkout_session(
    price_id: str,
    success_url: str,
    cancel_url: str | None,
    customer_email: str | None,
    mode: str,
    payment_method_types: list[str] | None,
    metadata: Mapping[str, Any] | None,
    customer_id: str | None,
    options: Mapping[str, Any],
) -> ServiceCall[CheckoutSessionResult]:
    """POST /v1/checkout/sessions: one line item of `price_id` (quantity 1 unless `quantity`), seed 002's call."""
    arguments.no_unknown("create_checkout_session", options, CHECKOUT_OPTIONS)
    if mode not in MODES:
        raise InvalidArgument("mode must be 'payment', 'subscription' or 'setup'")
    body: dict[str, Any] = {"mode": mode, "success_url": arguments.http_url("success_url", success_url, 5000)}
    if cancel_url is not None:
        body["cancel_url"] = arguments.http_url("cancel_url", cancel_url, 5000)
    if options.get("line_items") is not None:
        items = options["line_items"]
        if not isinstance(items, list) or not items or not all(isinstance(i, Mapping) for i in items):
            raise InvalidArgument("line_items must be a non-empty list of {'price', 'quantity'} dicts")
        body["line_items"] = [
            {"price": _id("line_items.price", i.get("price")), "quantity": _positive("quantity", i.get("quantity", 1))}
            for i in items
        ]
    elif mode != "setup":
        quantity = _positive("quantity", options.get("quantity", 1))
        body["line_items"] = [{"price": _id("price_id", price_id), "quantity": quantity}]
    if customer_id is not None and customer_email is not None:
        raise InvalidArgument("pass customer_id or customer_email, not both (Stripe refuses both)")
    if customer_id is not None:
        body["customer"] = _id("customer_id", customer_id)
    if customer_email is not None:
        body["customer_email"] = arguments.email("customer_email", customer_email)
    if payment_method_types is not None:
        if not isinstance(payment_method_types, list) or not all(isinstance(t, str) for t in payment_method_types):
            raise InvalidArgument("payment_method_types must be a list of strings such as ['card']")
        body["payment_method_types"] = list(payment_method_types)
    wire_metadata = _metadata("metadata", metadata)
    if wire_metadata:
        body["metadata"] = wire_metadata
    subscription_data: dict[str, Any] = {}
    if options.get("trial_days") is not None:
        subscription_data["trial_period_days"] = _positive("trial_days", options["trial_days"], 730)
    if options.get("subscription_metadata"):
        subscription_data["metadata"] = _metadata("subscription_metadata", options["subscription_metadata"])
    if subscription_data:
        if mode != "subscription":
            raise InvalidArgument("trial_days and subscription_metadata need mode='subscription'")
        body["subscription_data"] = subscription_data
    if options.get("client_reference_id") is not None:
        body["client_reference_id"] = arguments.non_empty("client_reference_id", options["client_reference_id"], 200)
    if options.get("allow_promotion_codes") is not None:
        body["allow_promotion_codes"] = _flag("allow_promotion_codes", options["allow_promotion_codes"])
    if options.get("expires_at") is not None:
        body["expires_at"] = _positive("expires_at", options["expires_at"], 2**40)
    if options.get("customer_creation") is not None:
        if options["customer_creation"] not in ("always", "if_required"):
            raise InvalidArgument("customer_creation must be 'always' or 'if_required'")
        body["customer_creation"] = options["customer_creation"]
    return _post(
        "create_checkout_session",
        api_create_session,
        PostCheckoutSessionsBody,
        body,
        options,
        _session,
        preview={"price_id": price_id, "mode": mode, "metadata": sorted(wire_metadata)},
        simulated={"session": _simulated_session(mode, wire_metadata)},
    )


def retrieve_checkout_session(session_id: str) -> ServiceCall[CheckoutSessionResult]:
    """GET /v1/checkout/sessions/{id}."""
    kwargs = api_get_session._get_kwargs(_id("session_id", session_id))
    return _get("retrieve_checkout_session", kwargs, _session, {"session": _simulated_session("payment", {})})


def expire_checkout_session(session_id: str, idempotency_key: str | None) -> ServiceCall[CheckoutSessionResult]:
    """POST /v1/checkout/sessions/{id}/expire: an open session can no longer be paid."""
    return _post(
        "expire_checkout_session",
        api_expire_session,
        PostCheckoutSessionsSessionExpireBody,
        {},
        {"idempotency_key": idempotency_key},
        _session,
        preview={"session_id": session_id},
        simulated={"session": {**_simulated_session("payment", {}), "status": "expired", "url": None}},
        path_args=(_id("session_id", session_id),),
    )


def _list_args(limit: int | None, starting_after: str | None, ending_before: str | None) -> dict[str, Any]:
    args: dict[str, Any] = {}
    if limit is not None:
        args["limit"] = _limit(limit)
    if starting_after is not None:
        args["starting_after"] = _id("starting_after", starting_after)
    if ending_before is not None:
        args["ending_before"] = _id("ending_before", ending_before)
    return args


_EMPTY_PAGE: Mapping[str, Any] = {"data": [], "has_more": False, "next_starting_after": None}


def _filters(filters: Mapping[str, Any], allowed: tuple[str, ...], method: str) -> dict[str, Any]:
    arguments.no_unknown(method, filters, allowed)
    found: dict[str, Any] = {}
    for name, value in filters.items():
        if value is None:
            continue
        if name == "email":
            found[name] = arguments.email(name, value)
        elif name in ("active",):
            found[name] = _flag(name, value)
        else:
            found[name] = arguments.non_empty(name, value, _ID_MAX)
    if "status" in found:
        enum = GetSubscriptionsStatus if method == "list_subscriptions" else GetInvoicesStatus
        found["status"] = enum(found["status"])
    return found


def list_objects(
    method: str,
    limit: int | None,
    starting_after: str | None,
    ending_before: str | None,
    filters: Mapping[str, Any],
) -> ServiceCall[ListResult]:
    """GET one page of a list endpoint (`list_customers`, `list_subscriptions`, ...) with its own filters."""
    if method not in LISTS:
        kinds = ", ".join(sorted(name.removeprefix("list_") for name in LISTS))
        raise InvalidArgument(f"cannot list {method.removeprefix('list_')!r}; choose one of {kinds}")
    endpoint, allowed = LISTS[method]
    args = {**_list_args(limit, starting_after, ending_before), **_filters(filters, allowed, method)}
    return _get(method, endpoint._get_kwargs(**args), _page, _EMPTY_PAGE)


LISTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "list_checkout_sessions": (api_list_sessions, ("customer", "subscription", "payment_intent")),
    "list_customers": (api_list_customers, ("email",)),
    "list_subscriptions": (api_list_subs, ("customer", "price", "status")),
    "list_invoices": (api_list_invoices, ("customer", "subscription", "status")),
    "list_payment_intents": (api_list_intents, ("customer",)),
    "list_events": (api_list_events, ("type",)),
    "list_products": (api_list_products, ("active",)),
    "list_prices": (api_list_prices, ("product", "active")),
    "list_webhook_endpoints": (api_list_endpoints, ()),
}


# Customers ------------------------------------------------------------------------------------------------------


def _customer_fields(options: Mapping[str, Any], body: dict[str, Any]) -> None:
    if options.get("description") is not None:
        body["description"] = arguments.non_empty("description", options["description"], 5000)
    if options.get("phone") is not None:
        body["phone"] = arguments.non_empty("phone", options["phone"], 20)


def _simulated_customer(email: str | None, name: str | None, metadata: Mapping[str, str]) -> dict[str, Any]:
    return {"id": "cus_simulated", "object": "customer", "email": email, "name": name, "metadata": dict(metadata)}


def create_customer(
    email: str, name: str | None, metadata: Mapping[str, Any] | None, options: Mapping[str, Any]
) -> ServiceCall[CustomerResult]:
    """POST /v1/customers."""
    arguments.no_unknown("create_customer", options, CUSTOMER_OPTIONS)
    body: dict[str, Any] = {"email": arguments.email("email", email)}
    if name is not None:
        body["name"] = arguments.non_empty("name", name, 256)
    wire_metadata = _metadata("metadata", metadata)
    if wire_metadata:
        body["metadata"] = wire_metadata
    _customer_fields(options, body)
    return _post(
        "create_customer",
        api_create_customer,
        PostCustomersBody,
        body,
        options,
        _customer,
        preview={"email": body["email"], "metadata": sorted(wire_metadata)},
        simulated={"customer": _simulated_customer(body["email"], name, wire_metadata)},
    )


def update_customer(customer_id: str, fields: Mapping[str, Any]) -> ServiceCall[CustomerResult]:
    """POST /v1/customers/{id}: `email`, `name`, `metadata` (a key set to "" is removed), `description`, `phone`."""
    arguments.no_unknown("update_customer", fields, ("email", "name", "metadata", *CUSTOMER_OPTIONS))
    body: dict[str, Any] = {}
    if fields.get("email") is not None:
        body["email"] = arguments.email("email", fields["email"])
    if fields.get("name") is not None:
        body["name"] = arguments.non_empty("name", fields["name"], 256)
    if fields.get("metadata") is not None:
        body["metadata"] = _metadata("metadata", fields["metadata"])
    _customer_fields(fields, body)
    return _post(
        "update_customer",
        api_update_customer,
        PostCustomersCustomerBody,
        body,
        fields,
        _customer,
        preview={"customer_id": customer_id, "fields": sorted(body)},
        simulated={"customer": _simulated_customer(body.get("email"), body.get("name"), body.get("metadata", {}))},
        path_args=(_id("customer_id", customer_id),),
    )


def retrieve_customer(customer_id: str) -> ServiceCall[CustomerResult]:
    """GET /v1/customers/{id} (a deleted customer is a failure with code `resource_missing`)."""
    kwargs = api_get_customer._get_kwargs(_id("customer_id", customer_id))

    def parse(response: APIResponse) -> CustomerResult:
        if isinstance(response.data, dict) and response.data.get("deleted") is True:
            return {"success": True, "customer": response.data, "request_id": response.request_id}
        return _customer(response)

    return _get("retrieve_customer", kwargs, parse, {"customer": _simulated_customer(None, None, {})})


def delete_customer(customer_id: str) -> ServiceCall[DeletedResult]:
    """DELETE /v1/customers/{id} (also cancels the customer's subscriptions)."""
    kwargs = api_delete_customer._get_kwargs(_id("customer_id", customer_id))
    return _get("delete_customer", kwargs, _deleted, {"id": customer_id, "deleted": True})


# Subscriptions --------------------------------------------------------------------------------------------------


def _simulated_subscription(customer: str, status: str, at_period_end: bool = False) -> dict[str, Any]:
    return {
        "id": "sub_simulated",
        "object": "subscription",
        "customer": customer,
        "status": status,
        "current_period_end": None,
        "cancel_at_period_end": at_period_end,
    }


def create_subscription(
    customer_id: str,
    price_id: str,
    trial_days: int | None,
    metadata: Mapping[str, Any] | None,
    options: Mapping[str, Any],
) -> ServiceCall[SubscriptionResult]:
    """POST /v1/subscriptions: `customer_id` on `price_id` (`trial_days` → `trial_period_days`)."""
    arguments.no_unknown("create_subscription", options, SUBSCRIPTION_OPTIONS)
    quantity = _positive("quantity", options.get("quantity", 1))
    body: dict[str, Any] = {
        "customer": _id("customer_id", customer_id),
        "items": [{"price": _id("price_id", price_id), "quantity": quantity}],
    }
    if trial_days is not None:
        body["trial_period_days"] = _positive("trial_days", trial_days, 730)
    wire_metadata = _metadata("metadata", metadata)
    if wire_metadata:
        body["metadata"] = wire_metadata
    if options.get("payment_behavior") is not None:
        behaviours = ("allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete")
        if options["payment_behavior"] not in behaviours:
            raise InvalidArgument(f"payment_behavior must be one of {', '.join(behaviours)}")
        body["payment_behavior"] = options["payment_behavior"]
    if options.get("default_payment_method") is not None:
        body["default_payment_method"] = _id("default_payment_method", options["default_payment_method"])
    if options.get("cancel_at_period_end") is not None:
        body["cancel_at_period_end"] = _flag("cancel_at_period_end", options["cancel_at_period_end"])
    _described({"description": options.get("description")}, body, 500)
    status = "trialing" if trial_days else "active"
    return _post(
        "create_subscription",
        api_create_sub,
        PostSubscriptionsBody,
        body,
        options,
        _subscription,
        preview={"customer_id": customer_id, "price_id": price_id, "trial_days": trial_days},
        simulated={"subscription": _simulated_subscription(customer_id, status)},
    )


UPDATE_OPTIONS = (
    "items",
    "proration_behavior",
    "cancel_at",
    "cancel_at_period_end",
    "trial_end",
    "default_payment_method",
    "payment_behavior",
    "metadata",
    "description",
    "expand",
    "idempotency_key",
)
PAYMENT_BEHAVIOURS = ("allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete")
PRORATION_BEHAVIOURS = ("always_invoice", "create_prorations", "none")


def _choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InvalidArgument(f"{name} must be one of {', '.join(choices)}")
    return str(value)


def _item_update(index: int, row: object) -> dict[str, Any]:
    """One `items` row of a subscription update, checked: an `id` to change or delete, or a `price` to add."""
    data = arguments.mapping(f"items[{index}]", row)
    unknown = set(data) - {"id", "price", "quantity", "deleted"}
    if unknown:
        raise InvalidArgument(f"items[{index}] has unknown keys: {', '.join(sorted(unknown))}")
    wire: dict[str, Any] = {}
    if "id" in data:
        wire["id"] = _id(f"items[{index}].id", data["id"])
    elif "price" not in data:
        raise InvalidArgument(f"items[{index}] needs an id (an existing item) or a price (a new one)")
    if "price" in data:
        wire["price"] = _id(f"items[{index}].price", data["price"])
    if "quantity" in data:
        wire["quantity"] = _positive(f"items[{index}].quantity", data["quantity"])
    if data.get("deleted") is not None:
        wire["deleted"] = _flag(f"items[{index}].deleted", data["deleted"])
        if wire["deleted"] and "id" not in wire:
            raise InvalidArgument(f"items[{index}]: deleted needs the id of the item to delete")
    return wire


def update_subscription(subscription_id: str, fields: Mapping[str, Any]) -> ServiceCall[SubscriptionResult]:
    """POST /v1/subscriptions/{id}: a plan change (`items`, `proration_behavior`), `cancel_at`,
    `cancel_at_period_end`, `trial_end`, `default_payment_method`, `payment_behavior`, `metadata`, `description`."""
    arguments.no_unknown("update_subscription", fields, UPDATE_OPTIONS)
    body: dict[str, Any] = {}
    if fields.get("items") is not None:
        rows = fields["items"]
        if isinstance(rows, str | bytes) or not isinstance(rows, list | tuple) or not 1 <= len(rows) <= 20:
            raise InvalidArgument("items must be a list of 1 to 20 item changes")
        body["items"] = [_item_update(index, row) for index, row in enumerate(rows)]
    if fields.get("proration_behavior") is not None:
        body["proration_behavior"] = _choice("proration_behavior", fields["proration_behavior"], PRORATION_BEHAVIOURS)
    if fields.get("payment_behavior") is not None:
        body["payment_behavior"] = _choice("payment_behavior", fields["payment_behavior"], PAYMENT_BEHAVIOURS)
    if "cancel_at" in fields:
        when = fields["cancel_at"]
        if when is not None and (isinstance(when, bool) or not isinstance(when, int) or when <= 0):
            raise InvalidArgument("cancel_at must be a Unix timestamp, or None to clear it")
        body["cancel_at"] = "" if when is None else when
    if fields.get("trial_end") is not None:
        trial_end = fields["trial_end"]
        if trial_end != "now" and (isinstance(trial_end, bool) or not isinstance(trial_end, int) or trial_end <= 0):
            raise InvalidArgument('trial_end must be a Unix timestamp or "now"')
        body["trial_end"] = trial_end
    if fields.get("default_payment_method") is not None:
        body["default_payment_method"] = _id("default_payment_method", fields["default_payment_method"])
    if fields.get("cancel_at_period_end") is not None:
        body["cancel_at_period_end"] = _flag("cancel_at_period_end", fields["cancel_at_period_end"])
    _described(fields, body, 500)
    return _post(
        "update_subscription",
        api_update_sub,
        PostSubscriptionsSubscriptionExposedIdBody,
        body,
        fields,
        _subscription,
        preview={"subscription_id": subscription_id, "fields": sorted(body)},
        simulated={
            "subscription": _simulated_subscription("cus_simulated", "active", bool(body.get("cancel_at_period_end")))
        },
        path_args=(_id("subscription_id", subscription_id),),
    )


def cancel_subscription(
    subscription_id: str, at_period_end: bool, options: Mapping[str, Any]
) -> ServiceCall[SubscriptionResult]:
    """At period end: POST `cancel_at_period_end=true` (status stays); else DELETE (status `canceled` now)."""
    arguments.no_unknown("cancel_subscription", options, CANCEL_OPTIONS)
    _flag("at_period_end", at_period_end)
    if at_period_end:
        extra = {k: v for k, v in options.items() if k == "idempotency_key"}
        if set(options) - {"idempotency_key"}:
            raise InvalidArgument("invoice_now and prorate apply to an immediate cancel only")
        call = update_subscription(subscription_id, {"cancel_at_period_end": True, **extra})
        return ServiceCall(
            name="cancel_subscription",
            operation=call.operation,
            preview=call.preview,
            simulated=call.simulated,
        )
    args: dict[str, Any] = {}
    for name in ("invoice_now", "prorate"):
        if options.get(name) is not None:
            args[name] = _flag(name, options[name])
    # DELETE needs no Idempotency-Key (it is idempotent) and stripe-python sends its parameters as a query string.
    kwargs = api_cancel_sub._get_kwargs(_id("subscription_id", subscription_id), **args)
    return ServiceCall(
        name="cancel_subscription",
        operation=_call(kwargs, _subscription),
        preview={"subscription_id": subscription_id, "at_period_end": False},
        simulated={"subscription": _simulated_subscription("cus_simulated", "canceled")},
    )


def retrieve_subscription(subscription_id: str) -> ServiceCall[SubscriptionResult]:
    """GET /v1/subscriptions/{id}."""
    kwargs = api_get_sub._get_kwargs(_id("subscription_id", subscription_id))
    return _get(
        "retrieve_subscription",
        kwargs,
        _subscription,
        {"subscription": _simulated_subscription("cus_simulated", "active")},
    )


# Products, prices, invoices, payment intents, events, webhook endpoints ------------------------------------------


def create_product(name: str, options: Mapping[str, Any]) -> ServiceCall[ObjectResult]:
    """POST /v1/products."""
    arguments.no_unknown("create_product", options, ("description", "metadata", "active", "idempotency_key"))
    body: dict[str, Any] = {"name": arguments.non_empty("name", name, 5000)}
    _described(options, body, 40000)
    if options.get("active") is not None:
        body["active"] = _flag("active", options["active"])
    return _post(
        "create_product",
        api_create_product,
        PostProductsBody,
        body,
        options,
        _other("product"),
        preview={"name": name},
        simulated=named("product", {"id": "prod_simulated", "object": "product", "name": name}),
    )


def create_price(
    product_id: str, unit_amount: int, currency: str, options: Mapping[str, Any]
) -> ServiceCall[ObjectResult]:
    """POST /v1/prices: `interval` ("month", "year", ...) makes it recurring."""
    arguments.no_unknown(
        "create_price", options, ("interval", "interval_count", "nickname", "metadata", "idempotency_key")
    )
    if isinstance(unit_amount, bool) or not isinstance(unit_amount, int) or unit_amount < 0:
        raise InvalidArgument("unit_amount must be a whole number of the currency's smallest unit (cents), 0 or more")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        raise InvalidArgument("currency must be a three-letter ISO code such as 'usd'")
    body: dict[str, Any] = {
        "product": _id("product_id", product_id),
        "unit_amount": unit_amount,
        "currency": currency.lower(),
    }
    if options.get("interval") is not None:
        if options["interval"] not in ("day", "week", "month", "year"):
            raise InvalidArgument("interval must be day, week, month or year")
        recurring: dict[str, Any] = {"interval": options["interval"]}
        if options.get("interval_count") is not None:
            recurring["interval_count"] = _positive("interval_count", options["interval_count"], 365)
        body["recurring"] = recurring
    if options.get("nickname") is not None:
        body["nickname"] = arguments.non_empty("nickname", options["nickname"], 5000)
    if options.get("metadata"):
        body["metadata"] = _metadata("metadata", options["metadata"])
    return _post(
        "create_price",
        api_create_price,
        PostPricesBody,
        body,
        options,
        _other("price"),
        preview={"product_id": product_id, "unit_amount": unit_amount, "currency": body["currency"]},
        simulated=named("price", {"id": "price_simulated", "object": "price", "product": product_id}),
    )


RETRIEVES: dict[str, tuple[Any, str]] = {
    "retrieve_price": (api_get_price, "price"),
    "retrieve_invoice": (api_get_invoice, "invoice"),
    "retrieve_payment_intent": (api_get_intent, "payment_intent"),
    "retrieve_event": (api_get_event, "event"),
}


def retrieve_object(method: str, object_id: str) -> ServiceCall[ObjectResult]:
    """GET one price, invoice, payment intent or event by ID."""
    if method not in RETRIEVES:
        kinds = ", ".join(sorted(name.removeprefix("retrieve_") for name in RETRIEVES))
        raise InvalidArgument(f"cannot retrieve {method.removeprefix('retrieve_')!r}; choose one of {kinds}")
    endpoint, kind = RETRIEVES[method]
    kwargs = endpoint._get_kwargs(_id("id", object_id))
    return _get(method, kwargs, _other(kind), named(kind, {"id": object_id, "object": kind}))


def create_webhook_endpoint(
    url: str, enabled_events: list[str], options: Mapping[str, Any]
) -> ServiceCall[ObjectResult]:
    """POST /v1/webhook_endpoints: the answer (and only it) carries the endpoint's `secret`."""
    arguments.no_unknown("create_webhook_endpoint", options, ("description", "metadata", "idempotency_key"))
    if (
        not isinstance(enabled_events, list)
        or not enabled_events
        or not all(isinstance(e, str) for e in enabled_events)
    ):
        raise InvalidArgument("enabled_events must be a non-empty list of event types (or ['*'])")
    body: dict[str, Any] = {"url": arguments.non_empty("url", url, 5000), "enabled_events": list(enabled_events)}
    _described(options, body, 5000)
    return _post(
        "create_webhook_endpoint",
        api_create_endpoint,
        PostWebhookEndpointsBody,
        body,
        options,
        _other("webhook_endpoint"),
        preview={"url": url, "enabled_events": list(enabled_events)},
        simulated=named("webhook_endpoint", {"id": "we_simulated", "object": "webhook_endpoint", "url": url}),
    )


def delete_webhook_endpoint(endpoint_id: str) -> ServiceCall[DeletedResult]:
    """DELETE /v1/webhook_endpoints/{id}."""
    kwargs = api_delete_endpoint._get_kwargs(_id("endpoint_id", endpoint_id))
    return _get("delete_webhook_endpoint", kwargs, _deleted, {"id": endpoint_id, "deleted": True})
