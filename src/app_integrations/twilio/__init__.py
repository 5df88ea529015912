"""Twilio (SMS, phone lookups): `TwilioClient` / `AsyncTwilioClient`, callback signatures, the guide's shortcuts.

    from app_integrations.twilio import TwilioClient

    result = TwilioClient().send_sms("+12125551234", "Your verification code is: 123456")
    if not result["success"]:
        print(result["error"], result["code"])

`app_integrations.twilio.shortcuts` needs Django; this package itself does not.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sdk_runtime.lazy_module import lazy_attributes

from .client import AsyncTwilioClient, TwilioClient

# Callback validation (hashlib, hmac, json) is imported when first named, not by a script that only sends.
if TYPE_CHECKING:
    from .signatures import RequestValidator, compute_signature, validate_signature

__getattr__: Callable[[str], Any] = lazy_attributes(
    __name__,
    {"RequestValidator": ".signatures", "compute_signature": ".signatures", "validate_signature": ".signatures"},
)

__all__ = ["AsyncTwilioClient", "RequestValidator", "TwilioClient", "compute_signature", "validate_signature"]
