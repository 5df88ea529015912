"""`from apps.integration.twilio.shortcuts import send_sms, ...`, as the integrations guide writes it."""

from app_integrations.twilio.shortcuts import get_sms_status, send_sms, send_verification_code, verify_phone_number

__all__ = ["get_sms_status", "send_sms", "send_verification_code", "verify_phone_number"]
