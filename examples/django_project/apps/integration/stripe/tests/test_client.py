"""Seed 002's Stripe blocks with the template's import paths, against the Stripe sandbox."""

import contextlib
import io
from typing import Any

from django.test import override_settings

TEST_BLOCK = """
from apps.integration.stripe.client import StripeClient

client = StripeClient()
result = client.create_customer(
    email="test@example.com",
    name="Test User"
)

if result["success"]:
    print("Stripe integration working!")
"""


def run(block: str, namespace: dict[str, Any]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(block, namespace)
    return out.getvalue()


def test_the_setup_check_block_creates_a_customer_in_the_sandbox(stripe_sandbox: Any) -> None:
    namespace: dict[str, Any] = {}
    with override_settings(STRIPE_API_KEY=stripe_sandbox.api_key, STRIPE_BASE_URL=stripe_sandbox.url):
        assert run(TEST_BLOCK, namespace) == "Stripe integration working!\n"
    customer = namespace["result"]["customer"]
    assert customer["id"].startswith("cus_") and customer["email"] == "test@example.com"


def test_the_shortcut_reuses_the_users_customer(stripe_sandbox: Any, user: Any) -> None:
    from apps.integration.stripe.shortcuts import create_customer_from_user

    with override_settings(STRIPE_API_KEY=stripe_sandbox.api_key, STRIPE_BASE_URL=stripe_sandbox.url):
        first = create_customer_from_user(user)
        again = create_customer_from_user(user)
    assert first["success"] and again["customer"]["id"] == first["customer"]["id"]
