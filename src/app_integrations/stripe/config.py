"""Stripe's settings as seed 002 names them, read through `app_integrations.settings`."""

from __future__ import annotations

from collections.abc import Iterable

from ..settings import secret_list, text

DEFAULT_BASE_URL = "https://api.stripe.com"
API_KEY_SETTING = "STRIPE_API_KEY"
WEBHOOK_SECRET_SETTING = "STRIPE_WEBHOOK_SECRET"  # noqa: S105  (a setting name)
ENABLED_SETTING = "STRIPE_ENABLED"
BASE_URL_SETTING = "STRIPE_BASE_URL"
API_VERSION = "2023-08-16"
"""The `Stripe-Version` every request sends: the version of `openapi/stripe.yaml`'s shapes."""


def webhook_secrets(explicit: str | Iterable[str] | None = None) -> list[str]:
    """The endpoint secrets to verify with: one, or several while a secret is being rolled.

    A list or tuple setting gives several; so does a string separated by commas or spaces (see `secret_list`).
    """
    return secret_list(WEBHOOK_SECRET_SETTING, explicit)


def missing_settings() -> list[str]:
    """The settings Stripe still needs (for the start-up check)."""
    missing = [] if text(API_KEY_SETTING) else [API_KEY_SETTING]
    if not webhook_secrets():
        missing.append(WEBHOOK_SECRET_SETTING)
    return missing
