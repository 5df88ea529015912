"""`from apps.integration.twilio.client import TwilioClient`, as seed 002 writes it."""

from app_integrations.twilio import AsyncTwilioClient, TwilioClient

__all__ = ["AsyncTwilioClient", "TwilioClient"]
