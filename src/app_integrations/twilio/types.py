"""The result dicts of the Twilio client, as `TypedDict`s (every key beyond `success` may be absent on failure)."""

from __future__ import annotations

from typing import Any

from ..results import Result


class SendSMSResult(Result, total=False):
    """`send_sms`: the message's SID and first status (`queued`), and the message as Twilio returned it."""

    sid: str
    status: str
    data: dict[str, Any]


class PhoneNumberResult(Result, total=False):
    """`verify_phone_number` / `lookup_carrier`: whether the number is valid, and what is known about it.

    `data` holds `carrier` (`{"name", "type", "mobile_country_code", "mobile_network_code", "error_code"}`),
    `country_code`, `national_format`, `phone_number`, and for Lookup v2 `calling_country_code`, `line_type` and
    `validation_errors`. An unknown or invalid number is `{"success": True, "valid": False}`, not a failure.
    """

    valid: bool
    data: dict[str, Any]


class MessageStatusResult(Result, total=False):
    """`get_message_status`: the status, and `data` with `sid`, `to`, `from`, `body`, `date_sent`, `error_code`,
    `error_message` (and the other fields Twilio returns)."""

    status: str
    data: dict[str, Any]


class MessagesResult(Result, total=False):
    """`list_messages`: one page of messages, newest first, and the URI of the next page (None on the last)."""

    messages: list[dict[str, Any]]
    next_page_uri: str | None
