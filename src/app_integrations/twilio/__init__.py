"""Twilio (SMS, phone lookups): `TwilioClient` / `AsyncTwilioClient`, callback signatures, the guide's shortcuts.

    from app_integrations.twilio import TwilioClient

    result = TwilioClient().send_sms("+12125551234", "Your verification code is: 123456")
    if not result["success"]:
        print(result["error"], result["code"])

`app_integrations.twilio.shortcuts` needs Django; this package itself does not.
"""

from .client import AsyncTwilioClient, TwilioClient
from .signatures import RequestValidator, compute_signature, validate_signature

__all__ = ["AsyncTwilioClient", "RequestValidator", "TwilioClient", "compute_signature", "validate_signature"]
