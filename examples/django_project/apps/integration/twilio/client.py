"""`from apps.integration.twilio.client import TwilioClient`, as the integrations guide writes it."""

from app_integrations.twilio import AsyncTwilioClient, TwilioClient

__all__ = ["AsyncTwilioClient", "TwilioClient"]
