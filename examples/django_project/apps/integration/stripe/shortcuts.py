"""`from apps.integration.stripe.shortcuts import create_checkout_session, ...`: the guide's Stripe shortcuts."""

from app_integrations.stripe.shortcuts import (
    cancel_user_subscription,
    create_checkout_session,
    create_customer_from_user,
    create_subscription_checkout,
    handle_webhook_event,
)

__all__ = [
    "cancel_user_subscription",
    "create_checkout_session",
    "create_customer_from_user",
    "create_subscription_checkout",
    "handle_webhook_event",
]
