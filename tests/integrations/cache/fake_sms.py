"""A stand-in for seed 002's Twilio `send_verification_code`: records what it was asked to send."""

from __future__ import annotations

from typing import Any

SENT: list[tuple[str, str]] = []


def send_verification_code(phone_number: str, code: str) -> dict[str, Any]:
    SENT.append((phone_number, code))
    return {"success": True, "sms_id": len(SENT)}


def failing_sender(phone_number: str, code: str) -> dict[str, Any]:
    return {"success": False, "error": "Twilio said no", "code": "21211"}
