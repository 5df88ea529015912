"""The result dicts of the Stripe client, as `TypedDict`s (every key beyond `success` may be absent on failure).

Objects are Stripe's own JSON (the `2023-08-16` shapes of `openapi/stripe.yaml`), so every field Stripe sends is
there; the guide's keys are guaranteed on top (`session["client_secret"]`, `subscription["current_period_end"]`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypedDict

from ..results import Result


class CheckoutSessionResult(Result, total=False):
    """`create_checkout_session`, `retrieve_checkout_session`, `expire_checkout_session`: `session["url"]` etc."""

    session: dict[str, Any]
    idempotency_key: str


class CustomerResult(Result, total=False):
    """`create_customer`, `retrieve_customer`, `update_customer`: `customer["id"]`, `["email"]`, `["name"]`."""

    customer: dict[str, Any]
    idempotency_key: str


class SubscriptionItemUpdate(TypedDict, total=False):
    """One row of `update_subscription(items=[...])`: an existing item by `id` (a new `price` or `quantity`, or
    `deleted: True`), or a new item by `price` (and `quantity`)."""

    id: str
    price: str
    quantity: int
    deleted: bool


class SubscriptionUpdate(TypedDict, total=False):
    """The keyword arguments of `update_subscription` (Stripe's names; `cancel_at=None` clears a cancel date), and
    the per-call options (`timeout`, `max_retries`, `extra_headers`, `extra_query`, `extra_body`, as in
    `sdk_runtime.RequestOptionsArgs`; `idempotency_key` is Stripe's own argument here)."""

    items: list[SubscriptionItemUpdate]
    proration_behavior: Literal["always_invoice", "create_prorations", "none"]
    cancel_at: int | None
    cancel_at_period_end: bool
    trial_end: int | Literal["now"]
    default_payment_method: str
    payment_behavior: Literal["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"]
    metadata: dict[str, Any]
    description: str
    expand: list[str]
    idempotency_key: str
    timeout: float | None
    max_retries: int | None
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, Any] | None
    extra_body: Mapping[str, Any] | None


class SubscriptionResult(Result, total=False):
    """`create_subscription`, `cancel_subscription`, `retrieve_subscription`, `update_subscription`."""

    subscription: dict[str, Any]
    idempotency_key: str


class ObjectResult(Result, total=False):
    """A single object of another kind, under the key that names it (`product`, `price`, `invoice`,
    `payment_intent`, `event`, `webhook_endpoint`) and, for code written before those keys, `object`."""

    object: dict[str, Any]
    product: dict[str, Any]
    price: dict[str, Any]
    invoice: dict[str, Any]
    payment_intent: dict[str, Any]
    event: dict[str, Any]
    webhook_endpoint: dict[str, Any]
    idempotency_key: str


class DeletedResult(Result, total=False):
    """`delete_customer`, `delete_webhook_endpoint`: the object's ID and `deleted: True`."""

    id: str
    deleted: bool


class ListResult(Result, total=False):
    """A `list_*` page: `data`, `has_more`, and `next_starting_after` to pass back for the next page (or None)."""

    data: list[dict[str, Any]]
    has_more: bool
    next_starting_after: str | None


class WebhookResult(Result, total=False):
    """`verify_webhook_signature`: `verified`, and the event (`id`, `type`, `data`, ...) when verified."""

    verified: bool
    event: dict[str, Any]
