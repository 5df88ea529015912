"""Twilio's test numbers, and Lookups answered from a real numbering plan (the `phonenumbers` library).

Magic `From` numbers (Twilio's "Test Credentials" page): `+15005550006` passes, `+15005550001` is 21212 (invalid
From), `+15005550007` 21606 (not owned / not SMS-capable), `+15005550008` 21611 (full SMS queue); any other
`+1500555xxxx` sender is 21606. Every other sender counts as one of the sandbox account's numbers.
Magic `To` numbers: `+15005550001` 21211, `+15005550002` 21612, `+15005550003` 21408, `+15005550004` 21610,
`+15005550009` 21614. The `From` rule is applied first. Any other `To` must be a valid number in the numbering
plan (21211 otherwise); a landline is accepted and later ends `undelivered` with 30006, as a carrier reports it.
"""

from __future__ import annotations

import hashlib
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType, carrier, number_type

MAGIC_PREFIX = "+1500555"
FROM_ERRORS: dict[str, tuple[int, str]] = {
    "+15005550001": (21212, "The 'From' number {number} is not a valid phone number, shortcode, or sender ID."),
    "+15005550007": (21606, "The 'From' phone number {number} is not a valid, SMS-capable Twilio number."),
    "+15005550008": (21611, "This 'From' number has exceeded the maximum number of queued messages."),
}  # fmt: skip
FROM_OK = "+15005550006"
TO_ERRORS: dict[str, tuple[int, str]] = {
    "+15005550001": (21211, "The 'To' number {number} is not a valid phone number."),
    "+15005550002": (21612, "The 'To' phone number: {number}, is not currently reachable via SMS."),
    "+15005550003": (21408, "Permission to send an SMS has not been enabled for the region of {number}."),
    "+15005550004": (21610, "Attempt to send to unsubscribed recipient"),
    "+15005550009": (21614, "'To' number is not a valid mobile number"),
}  # fmt: skip
LINE_TYPES = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "mobile",
    PhoneNumberType.VOIP: "nonFixedVoip",
    PhoneNumberType.TOLL_FREE: "tollFree",
    PhoneNumberType.PREMIUM_RATE: "premium",
    PhoneNumberType.SHARED_COST: "sharedCost",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.PERSONAL_NUMBER: "personal",
}
# Lookup v1 knows three carrier types.
V1_TYPES = {"mobile": "mobile", "landline": "landline", "nonFixedVoip": "voip", "fixedVoip": "voip"}
# Deterministic carriers where the numbering plan names none (North American numbers carry no carrier data).
SANDBOX_CARRIERS = ("Sandbox Wireless", "Loopback Mobile", "Example Telecom", "Test Cellular")
MOBILE_COUNTRY_CODES = {"US": "310", "CA": "302", "GB": "234", "FR": "208", "DE": "262", "GG": "234", "JE": "234"}


def sender_error(number: str) -> tuple[int, str] | None:
    """The error a magic `From` number stands for, or None."""
    if number in FROM_ERRORS:
        code, message = FROM_ERRORS[number]
        return code, message.format(number=number)
    if number.startswith(MAGIC_PREFIX) and number != FROM_OK:
        return FROM_ERRORS["+15005550007"][0], FROM_ERRORS["+15005550007"][1].format(number=number)
    return None


def recipient_error(number: str) -> tuple[int, str] | None:
    """The error a magic or invalid `To` number stands for, or None."""
    if number in TO_ERRORS:
        code, message = TO_ERRORS[number]
        return code, message.format(number=number)
    if number.startswith(MAGIC_PREFIX):
        return None
    if not is_valid(number):
        return TO_ERRORS["+15005550001"][0], TO_ERRORS["+15005550001"][1].format(number=number)
    return None


def _parse(number: str, country: str | None = None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(number, country.upper() if country else None)
    except phonenumbers.NumberParseException:
        return None


def is_valid(number: str) -> bool:
    """Whether `number` (E.164) is a valid number of the numbering plan."""
    parsed = _parse(number)
    return parsed is not None and phonenumbers.is_valid_number(parsed)


def line_type(number: str) -> str:
    """Lookup v2's `line_type_intelligence.type` for a number (`unknown` when the plan cannot say)."""
    parsed = _parse(number)
    if parsed is None:
        return "unknown"
    return LINE_TYPES.get(number_type(parsed), "unknown")


def _validation_error(number: str, parsed: phonenumbers.PhoneNumber | None) -> str | None:
    if parsed is None:
        digits = sum(ch.isdigit() for ch in number)
        return "NOT_A_NUMBER" if digits == 0 else ("TOO_SHORT" if digits < 3 else "INVALID_COUNTRY_CODE")
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    reasons = {
        phonenumbers.ValidationResult.TOO_SHORT: "TOO_SHORT",
        phonenumbers.ValidationResult.TOO_LONG: "TOO_LONG",
        phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "INVALID_COUNTRY_CODE",
        phonenumbers.ValidationResult.INVALID_LENGTH: "INVALID_LENGTH",
    }
    if reason in reasons:
        return reasons[reason]
    return None if phonenumbers.is_valid_number(parsed) else "INVALID_BUT_POSSIBLE"


def carrier_of(e164: str, kind: str, region: str | None) -> dict[str, Any]:
    """Deterministic carrier data: the numbering plan's carrier where it has one, else one picked by the number."""
    parsed = _parse(e164)
    name = carrier.name_for_number(parsed, "en") if parsed is not None else ""
    digest = hashlib.sha256(e164.encode()).digest()
    if not name:
        name = SANDBOX_CARRIERS[digest[0] % len(SANDBOX_CARRIERS)]
    carries = kind in ("mobile", "landline", "nonFixedVoip", "fixedVoip")
    return {
        "mobile_country_code": MOBILE_COUNTRY_CODES.get(region or "", "001") if carries else None,
        "mobile_network_code": f"{digest[1] % 1000:03d}" if carries else None,
        "carrier_name": name if carries else None,
        "type": kind,
        "error_code": None,
    }


def lookup_v2(number: str, country: str | None, fields: set[str], url: str) -> dict[str, Any]:
    """The Lookup v2 answer: always a 200; `valid: false` and `validation_errors` for a bad number."""
    parsed = _parse(number, country)
    error = _validation_error(number, parsed)
    answer: dict[str, Any] = {
        "calling_country_code": None, "country_code": None, "phone_number": number, "national_format": None,
        "valid": False, "validation_errors": [error] if error else [], "caller_name": None,
        "line_type_intelligence": None, "url": url,
    }  # fmt: skip
    if error is not None or parsed is None:
        return answer
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    region = phonenumbers.region_code_for_number(parsed)
    answer.update(
        calling_country_code=str(parsed.country_code),
        country_code=region,
        phone_number=e164,
        national_format=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        valid=True,
    )
    if "line_type_intelligence" in fields:
        answer["line_type_intelligence"] = carrier_of(e164, line_type(e164), region)
    if "caller_name" in fields:
        answer["caller_name"] = {"caller_name": None, "caller_type": None, "error_code": None}
    return answer


def lookup_v1(number: str, country: str | None, types: list[str], url: str) -> dict[str, Any] | None:
    """The Lookup v1 answer, or None for a number that is not valid (the API's 404)."""
    parsed = _parse(number, country)
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    region = phonenumbers.region_code_for_number(parsed)
    answer: dict[str, Any] = {
        "caller_name": None, "country_code": region, "phone_number": e164,
        "national_format": phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        "carrier": None, "add_ons": None, "url": url,
    }  # fmt: skip
    if "carrier" in types:
        kind = line_type(e164)
        data = carrier_of(e164, kind, region)
        answer["carrier"] = {
            "mobile_country_code": data["mobile_country_code"],
            "mobile_network_code": data["mobile_network_code"],
            "name": data["carrier_name"],
            "type": V1_TYPES.get(kind),
            "error_code": None,
        }
    if "caller-name" in types:
        answer["caller_name"] = {"caller_name": None, "caller_type": None, "error_code": None}
    return answer
