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
    """The settings Stripe's API calls still need (for the start-up check)."""
    return [] if text(API_KEY_SETTING) else [API_KEY_SETTING]


def credentials_set() -> bool:
    """Whether the Stripe key is set (switched off with a key is what seed 002's `STRIPE_ENABLED` expression gives
    when the webhook secret is empty)."""
    return bool(text(API_KEY_SETTING))


def webhook_problem() -> str | None:
    """What stops Stripe webhooks from being verified, or None."""
    return None if webhook_secrets() else f"set {WEBHOOK_SECRET_SETTING}"
