"""Seed 002's import path for the stripe shortcuts, which need Django: they live in
`app_integrations.django.shortcuts.stripe` (what needs Django lives under the Django part of the package).
"""

from ..django.shortcuts.stripe import (
    CANCEL_URL_SETTING,
    SUCCESS_URL_SETTING,
    cancel_user_subscription,
    create_checkout_session,
    create_customer_from_user,
    create_subscription_checkout,
    default_url,
    existing_customer_id,
    handle_webhook_event,
)

__all__ = [
    "CANCEL_URL_SETTING",
    "SUCCESS_URL_SETTING",
    "cancel_user_subscription",
    "create_checkout_session",
    "create_customer_from_user",
    "create_subscription_checkout",
    "default_url",
    "existing_customer_id",
    "handle_webhook_event",
]
