"""The project's Stripe shortcuts against the Stripe sandbox: a user's customer is created once and reused."""

from typing import Any

from django.test import override_settings


def test_the_shortcut_reuses_the_users_customer(stripe_sandbox: Any, user: Any) -> None:
    from apps.integration.stripe.shortcuts import create_customer_from_user

    with override_settings(
        STRIPE_API_KEY=stripe_sandbox.api_key, STRIPE_BASE_URL=stripe_sandbox.url, STRIPE_ENABLED=True
    ):
        first = create_customer_from_user(user)
        again = create_customer_from_user(user)
    assert first["success"] and again["customer"]["id"] == first["customer"]["id"]
    assert again["existing"] is True
