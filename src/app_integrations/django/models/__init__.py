"""The integrations' models, one module each; Django finds them through this package."""

from .login_token import LoginToken
from .stripe_customer import StripeCustomer
from .webhook_event import WebhookEvent

__all__ = ["LoginToken", "StripeCustomer", "WebhookEvent"]
