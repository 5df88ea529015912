"""Stripe (payments): `StripeClient` / `AsyncStripeClient`, webhook signatures, and the integrations guide's shortcuts.

    from app_integrations.stripe import StripeClient

    result = StripeClient().create_checkout_session("price_123", "https://example.com/ok", "https://example.com/no")
    if result["success"]:
        redirect_to = result["session"]["url"]

`app_integrations.stripe.shortcuts` needs Django; this package itself does not.
"""

from .client import AsyncStripeClient, StripeClient
from .config import API_VERSION
from .webhooks import signature_header, verify

__all__ = ["API_VERSION", "AsyncStripeClient", "StripeClient", "signature_header", "verify"]
