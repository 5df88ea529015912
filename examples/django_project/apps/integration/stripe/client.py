"""`from apps.integration.stripe.client import StripeClient`: the project's Stripe client.

Settings come from `settings/third_party.py` (`STRIPE_API_KEY`, `STRIPE_WEBHOOK_SECRET`, `STRIPE_ENABLED`, and
`STRIPE_BASE_URL` for the sandbox); see `README.md` here.
"""

from app_integrations.stripe import AsyncStripeClient, StripeClient

__all__ = ["AsyncStripeClient", "StripeClient"]
