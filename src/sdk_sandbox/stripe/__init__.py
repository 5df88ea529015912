"""The Stripe sandbox (`build_stripe_app`): stateful, spec-validated, pays on a hosted page and signs webhooks."""

from .app import build_stripe_app

__all__ = ["build_stripe_app"]
