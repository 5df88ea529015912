"""The integrations' models, one module each; Django finds them through this package."""

from .login_token import LoginToken
from .sms import SMS
from .stripe_customer import StripeCustomer
from .upload import Upload
from .webhook_event import WebhookEvent

__all__ = ["SMS", "LoginToken", "StripeCustomer", "Upload", "WebhookEvent"]
