"""Twilio (SMS, phone lookups): `TwilioClient` / `AsyncTwilioClient`, callback signatures, the guide's shortcuts.

    from app_integrations.twilio import TwilioClient

    result = TwilioClient().send_sms("+12125551234", "Your verification code is: 123456")
    if not result["success"]:
        print(result["error"], result["code"])

`app_integrations.twilio.shortcuts` needs Django; this package itself does not.
"""

from typing import TYPE_CHECKING, Any

from .client import AsyncTwilioClient, TwilioClient

# Callback validation (hashlib, hmac, json) is imported when first named, not by a script that only sends.
if TYPE_CHECKING:
    from .signatures import RequestValidator, compute_signature, validate_signature

_SIGNATURE_NAMES = frozenset({"RequestValidator", "compute_signature", "validate_signature"})


def __getattr__(name: str) -> Any:
    """`RequestValidator`, `compute_signature` and `validate_signature`, imported from `.signatures` on first use."""
    if name not in _SIGNATURE_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import signatures

    value = getattr(signatures, name)
    globals()[name] = value
    return value


__all__ = ["AsyncTwilioClient", "RequestValidator", "TwilioClient", "compute_signature", "validate_signature"]
