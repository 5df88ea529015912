"""The guide's Stripe shortcuts for a Django app: checkout for a user, the user's customer, cancel, webhooks.

Default URLs come from settings: `STRIPE_SUCCESS_URL` / `STRIPE_CANCEL_URL`, else `SITE_URL` +
`/?payment_result=success|canceled` (as the guide's original builds them from the site's host). A user's Stripe
customer is looked up first (`user.stripe_customer_id`, else the `StripeCustomer` row) and created at most once:
the creation carries an Idempotency-Key derived from the user, so two racing requests get the same customer.
Errors are logged and returned as failure dicts, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ...results import INVALID_SIGNATURE, failure, log_failure
from ...settings import text
from ...shared_clients import shared
from ...stripe.client import StripeClient
from ...stripe.types import CheckoutSessionResult, CustomerResult, SubscriptionResult, WebhookResult

logger: logging.Logger = logging.getLogger("app_integrations.stripe")
SUCCESS_URL_SETTING = "STRIPE_SUCCESS_URL"
CANCEL_URL_SETTING = "STRIPE_CANCEL_URL"


def default_url(result: str) -> str:
    """The success (`result="success"`) or cancel (`"canceled"`) URL when the caller gives none."""
    configured = text(SUCCESS_URL_SETTING if result == "success" else CANCEL_URL_SETTING)
    if configured:
        return configured
    site = text("SITE_URL", default="http://localhost:8000").rstrip("/")
    return f"{site}/?payment_result={result}"


def existing_customer_id(user: Any) -> str | None:
    """The user's Stripe customer ID, if one was stored (on the user model or in `StripeCustomer`)."""
    on_user = getattr(user, "stripe_customer_id", None)
    if isinstance(on_user, str) and on_user:
        return on_user
    if getattr(user, "pk", None) is None:
        return None
    from ..models import StripeCustomer

    row = StripeCustomer.objects.filter(user=user).values_list("customer_id", flat=True).first()
    return str(row) if row else None


def _remember(user: Any, customer_id: str) -> str:
    """Store the customer for the user; if another request stored one first, that one wins (and is returned)."""
    from django.db import IntegrityError, transaction

    from ..models import StripeCustomer

    try:
        with transaction.atomic():
            StripeCustomer.objects.create(user=user, customer_id=customer_id)
    except IntegrityError:
        existing = StripeCustomer.objects.filter(user=user).values_list("customer_id", flat=True).first()
        if existing:
            customer_id = str(existing)
    if hasattr(user, "stripe_customer_id") and getattr(user, "stripe_customer_id", None) != customer_id:
        user.stripe_customer_id = customer_id
        user.save(update_fields=["stripe_customer_id"])
    return customer_id


def create_customer_from_user(user: Any, client: StripeClient | None = None) -> CustomerResult:
    """The user's Stripe customer: the stored one (`existing: True`), else a new one with `user_id` metadata."""
    found = existing_customer_id(user)
    if found:
        return {"success": True, "customer": {"id": found, "email": getattr(user, "email", None)}, "existing": True}  # type: ignore[typeddict-unknown-key]
    full = getattr(user, "get_full_name", None)
    name = (full() if callable(full) else "") or None
    stripe = client or shared(StripeClient)
    result = stripe.create_customer(
        email=getattr(user, "email", None),  # type: ignore[arg-type]
        name=name,
        metadata={"user_id": str(user.pk), "source": "django"},
        idempotency_key=f"user-{user.pk}-customer",
    )
    if result["success"] and not result.get("simulated"):
        stored = _remember(user, result["customer"]["id"])
        result["customer"]["id"] = stored
    return result


def create_checkout_session(
    price_id: str,
    success_url: str | None = None,
    cancel_url: str | None = None,
    customer_email: str | None = None,
    mode: str = "payment",
    metadata: Mapping[str, Any] | None = None,
    user: Any = None,
    **kwargs: Any,
) -> CheckoutSessionResult:
    """A Checkout Session with default URLs; with `user`, their customer (reused, else their email) and metadata
    `user_id` / `user_email`."""
    data = dict(metadata or {})
    customer_id = None
    if user is not None:
        data.setdefault("user_id", str(user.pk))
        if getattr(user, "email", None):
            data.setdefault("user_email", user.email)
        customer_id = existing_customer_id(user)
        if customer_id is None and mode == "subscription":
            created = create_customer_from_user(user)
            if not created["success"]:
                return created  # type: ignore[return-value]
            customer_id = created["customer"]["id"]
        kwargs.setdefault("client_reference_id", str(user.pk))
    if customer_id is None and customer_email is None and user is not None:
        customer_email = getattr(user, "email", None) or None
    return shared(StripeClient).create_checkout_session(
        price_id,
        success_url or default_url("success"),
        cancel_url or default_url("canceled"),
        customer_email=None if customer_id else customer_email,
        mode=mode,
        metadata=data,
        customer_id=customer_id,
        **kwargs,
    )


def create_subscription_checkout(
    price_id: str,
    user: Any = None,
    success_url: str | None = None,
    cancel_url: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> CheckoutSessionResult:
    """`create_checkout_session(..., mode="subscription")` (keyword arguments such as `trial_days` pass through)."""
    return create_checkout_session(
        price_id, success_url, cancel_url, mode="subscription", metadata=metadata, user=user, **kwargs
    )


def cancel_user_subscription(subscription_id: str, at_period_end: bool = True) -> SubscriptionResult:
    """Cancel a subscription, at the end of the period unless told otherwise (failures are logged)."""
    return shared(StripeClient).cancel_subscription(subscription_id, at_period_end=at_period_end)


def handle_webhook_event(payload: bytes | str, signature: str | None) -> WebhookResult:
    """Verify and parse a delivery: `{"success", "verified", "event": {"id", "type", "data", ...}}`.

    Verification always runs (debug mode too). The event is not stored here: the `stripe_webhook` view of
    `app_integrations.django` stores each event once and signals it.
    """
    if signature is None or not isinstance(signature, str):
        result = failure("Invalid webhook signature: missing Stripe-Signature header", INVALID_SIGNATURE)
        log_failure(logger, "Stripe", "handle_webhook_event", result)
        return {**result, "verified": False}  # type: ignore[typeddict-item]
    return StripeClient(debug_mode=True).verify_webhook_signature(payload, signature)
