"""Seed 002's import path for the twilio shortcuts, which need Django: they live in
`app_integrations.django.shortcuts.twilio` (what needs Django lives under the Django part of the package).
"""

from ..django.shortcuts.twilio import (
    VERIFICATION_TEXT,
    SMSResult,
    SMSStatusResult,
    get_sms_status,
    send_sms,
    send_verification_code,
    status_callback_url,
    verify_phone_number,
)

__all__ = [
    "VERIFICATION_TEXT",
    "SMSResult",
    "SMSStatusResult",
    "get_sms_status",
    "send_sms",
    "send_verification_code",
    "status_callback_url",
    "verify_phone_number",
]
