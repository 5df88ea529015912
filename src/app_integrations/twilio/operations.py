"""Every Twilio call once, as a `ServiceCall`: arguments checked, request built by the generated `twilio_api` client.

`TwilioClient` and `AsyncTwilioClient` only run these. A bad argument raises `InvalidArgument` here, before anything
is sent; the client turns it into a failure dict.

Twilio has no idempotency key for creating a message, so `send_sms` is an at-most-once call (`Call.at_most_once`):
it is repeated only when the request provably never arrived (a failed connect, a 429 or 503 answer); an attempt
that may have reached Twilio without an answer becomes a failure with code `outcome_unknown`, never a second text.

Each call imports its generated endpoint and models when first made, so importing the client stays cheap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from sdk_runtime import APIResponse, Call, Operation

from .. import arguments
from ..results import NOT_CONFIGURED, Failure, InvalidArgument
from ..service import ServiceCall
from .config import LOOKUPS_SERVER
from .types import MessagesResult, MessageStatusResult, PhoneNumberResult, SendSMSResult

R = TypeVar("R")
MAX_BODY = 1600
LOOKUPS = LOOKUPS_SERVER
MESSAGE_SID = re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$")
# The codes Twilio's error bodies carry, for the statuses whose body may be missing (a proxy's HTML page).
STATUS_CODES = {401: "20003", 404: "20404", 429: "20429"}
CARRIER_KEYS = ("name", "type", "mobile_country_code", "mobile_network_code", "error_code")
MESSAGE_FIELDS = (
    "sid", "to", "from", "body", "status", "date_sent", "date_created", "date_updated", "error_code",
    "error_message", "num_segments", "num_media", "price", "price_unit", "direction", "messaging_service_sid",
    "account_sid", "uri",
)  # fmt: skip


def _call(kwargs: Mapping[str, Any], parse: Callable[[APIResponse], R], *, at_most_once: bool = False) -> Operation[R]:
    return Operation(Call.from_kwargs(kwargs, at_most_once=at_most_once), parse)


def _message(data: Any) -> dict[str, Any]:
    """A message as Twilio sends it (validated by the generated model), keys in Twilio's snake_case."""
    from twilio_api.models.api_v2010_account_message import ApiV2010AccountMessage

    parsed = ApiV2010AccountMessage.from_dict(data).to_dict()
    return {key: parsed.get(key) for key in MESSAGE_FIELDS}


def _body(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgument("body must be non-empty text")
    if len(value) > MAX_BODY:
        raise InvalidArgument(f"body is {len(value)} characters; Twilio sends at most {MAX_BODY}")
    return value


def _sent(response: APIResponse) -> SendSMSResult:
    message = _message(response.data)
    return {
        "success": True,
        "sid": message["sid"],
        "status": message["status"],
        "data": message,
        "request_id": response.request_id,
    }


def send_sms(
    account_sid: str, to_number: str, body: str, from_number: str | None, status_callback: str | None
) -> ServiceCall[SendSMSResult]:
    """POST /2010-04-01/Accounts/{AccountSid}/Messages.json: `To`, `From`, `Body`, optional `StatusCallback`."""
    from twilio_api.api.messages import create_message as api_create_message
    from twilio_api.models.create_message_request import CreateMessageRequest

    to = arguments.e164("to_number", to_number)
    if from_number is None or (isinstance(from_number, str) and not from_number.strip()):
        raise InvalidArgument("from_number is required: pass it or set TWILIO_PHONE_NUMBER", NOT_CONFIGURED)
    sender = arguments.e164("from_number", from_number)
    text = _body(body)
    fields: dict[str, Any] = {"To": to, "From": sender, "Body": text}
    if status_callback is not None:
        fields["StatusCallback"] = arguments.http_url("status_callback", status_callback)
    request = CreateMessageRequest.from_dict(fields)
    simulated_sid = "SM" + os.urandom(16).hex()
    return ServiceCall(
        name="send_sms",
        operation=_call(api_create_message._get_kwargs(account_sid, body=request), _sent, at_most_once=True),
        preview={"to": to, "from": sender, "characters": len(text), "status_callback": status_callback is not None},
        simulated={"sid": simulated_sid, "status": "queued"},
        codes=STATUS_CODES,
    )


def _carrier(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: values.get(key) for key in CARRIER_KEYS}


def _looked_up_v2(response: APIResponse) -> PhoneNumberResult:
    from twilio_api.models.lookups_v2_phone_number import LookupsV2PhoneNumber

    parsed = LookupsV2PhoneNumber.from_dict(response.data).to_dict()
    intelligence = parsed.get("line_type_intelligence") or {}
    carrier = _carrier({**intelligence, "name": intelligence.get("carrier_name")}) if intelligence else None
    return {
        "success": True,
        "valid": bool(parsed["valid"]),
        "data": {
            "phone_number": parsed["phone_number"],
            "country_code": parsed.get("country_code"),
            "calling_country_code": parsed.get("calling_country_code"),
            "national_format": parsed.get("national_format"),
            "validation_errors": parsed.get("validation_errors") or [],
            "line_type": intelligence.get("type"),
            "carrier": carrier,
        },
        "request_id": response.request_id,
    }


def _unknown_number(phone_number: str) -> Callable[[Failure], Mapping[str, Any] | None]:
    """Twilio's 404 (20404) for a lookup means the number is unknown: `valid: False`, not a failure."""

    def recover(result: Failure) -> Mapping[str, Any] | None:
        if result["status_code"] == 404:
            return {
                "success": True,
                "valid": False,
                "data": {"phone_number": phone_number, "carrier": None, "country_code": None, "national_format": None},
                "request_id": result["request_id"],
            }
        return None

    return recover


def verify_phone_number(phone_number: str) -> ServiceCall[PhoneNumberResult]:
    """GET /v2/PhoneNumbers/{PhoneNumber}?Fields=line_type_intelligence (Lookups): validity, format, carrier."""
    from twilio_api.api.lookups import fetch_phone_number as api_lookup_v2

    number = arguments.e164("phone_number", phone_number)
    return ServiceCall(
        name="verify_phone_number",
        operation=_call(api_lookup_v2._get_kwargs(number, fields="line_type_intelligence"), _looked_up_v2),
        preview={"phone_number": number},
        simulated={
            "valid": True,
            "data": {
                "phone_number": number,
                "carrier": {"name": "Simulated carrier", "type": "mobile"},
                "country_code": None,
                "national_format": number,
            },
        },
        codes=STATUS_CODES,
        recover=_unknown_number(number),
        server=LOOKUPS,
    )


def _looked_up_v1(response: APIResponse) -> PhoneNumberResult:
    from twilio_api.models.lookups_v1_phone_number import LookupsV1PhoneNumber

    parsed = LookupsV1PhoneNumber.from_dict(response.data).to_dict()
    carrier = parsed.get("carrier")
    return {
        "success": True,
        "valid": True,
        "data": {
            "phone_number": parsed["phone_number"],
            "country_code": parsed.get("country_code"),
            "national_format": parsed.get("national_format"),
            "carrier": _carrier(carrier) if isinstance(carrier, Mapping) else None,
        },
        "request_id": response.request_id,
    }


def lookup_carrier(phone_number: str) -> ServiceCall[PhoneNumberResult]:
    """GET /v1/PhoneNumbers/{PhoneNumber}?Type=carrier (Lookups v1): the carrier object, 404 for unknown numbers."""
    from twilio_api.api.lookups import fetch_phone_number_v1 as api_lookup_v1
    from twilio_api.models.fetch_phone_number_v1_type_item import FetchPhoneNumberV1TypeItem

    number = arguments.e164("phone_number", phone_number)
    kwargs = api_lookup_v1._get_kwargs(number, type_=[FetchPhoneNumberV1TypeItem.CARRIER])
    return ServiceCall(
        name="lookup_carrier",
        operation=_call(kwargs, _looked_up_v1),
        preview={"phone_number": number},
        simulated={"valid": True, "data": {"phone_number": number, "carrier": {"name": "Simulated carrier"}}},
        codes=STATUS_CODES,
        recover=_unknown_number(number),
        server=LOOKUPS,
    )


def _status(response: APIResponse) -> MessageStatusResult:
    message = _message(response.data)
    return {"success": True, "status": message["status"], "data": message, "request_id": response.request_id}


def get_message_status(account_sid: str, message_sid: str) -> ServiceCall[MessageStatusResult]:
    """GET /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json."""
    from twilio_api.api.messages import fetch_message as api_fetch_message

    if not isinstance(message_sid, str) or not MESSAGE_SID.match(message_sid):
        raise InvalidArgument("message_sid must be SM or MM followed by 32 hexadecimal digits")
    return ServiceCall(
        name="get_message_status",
        operation=_call(api_fetch_message._get_kwargs(account_sid, message_sid), _status),
        preview={"message_sid": message_sid},
        simulated={"status": "delivered", "data": {"sid": message_sid, "error_code": None, "error_message": None}},
        codes=STATUS_CODES,
    )


def _page(response: APIResponse) -> MessagesResult:
    from twilio_api.models.list_message_response import ListMessageResponse

    parsed = ListMessageResponse.from_dict(response.data)
    next_uri = parsed.to_dict().get("next_page_uri")
    return {
        "success": True,
        "messages": [_message(item.to_dict()) for item in parsed.messages],
        "next_page_uri": next_uri if isinstance(next_uri, str) and next_uri else None,
        "request_id": response.request_id,
    }


def _page_query(account_sid: str, uri: object) -> dict[str, str]:
    """The query of a `next_page_uri` Twilio gave, refused unless it is this account's message list."""
    expected = f"/2010-04-01/Accounts/{account_sid}/Messages.json"
    if not isinstance(uri, str) or len(uri) > 4000 or urlsplit(uri).path != expected:
        raise InvalidArgument("next_page_uri must be the next_page_uri of an earlier list_messages result")
    return {key: values[0] for key, values in parse_qs(urlsplit(uri).query).items() if values}


def list_messages(
    account_sid: str, to_number: str | None, from_number: str | None, page_size: int, next_page_uri: str | None
) -> ServiceCall[MessagesResult]:
    """GET /2010-04-01/Accounts/{AccountSid}/Messages.json: one page, filtered by `To` / `From`."""
    from twilio_api.api.messages import list_message as api_list_messages

    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= 1000:
        raise InvalidArgument("page_size must be an integer from 1 to 1000")
    query: dict[str, Any] = {"To": to_number, "From": from_number, "PageSize": str(page_size)}
    if to_number is not None:
        query["To"] = arguments.e164("to_number", to_number)
    if from_number is not None:
        query["From"] = arguments.e164("from_number", from_number)
    if next_page_uri is not None:
        query.update(_page_query(account_sid, next_page_uri))
    page = query.get("Page")
    if page is not None and not str(page).isdigit():
        raise InvalidArgument("next_page_uri carries a malformed Page")
    kwargs = api_list_messages._get_kwargs(
        account_sid,
        to=query.get("To"),  # type: ignore[arg-type]
        from_=query.get("From"),  # type: ignore[arg-type]
        page_size=int(query["PageSize"]),
        page=int(page) if page is not None else None,  # type: ignore[arg-type]
        page_token=query.get("PageToken"),  # type: ignore[arg-type]
    )
    return ServiceCall(
        name="list_messages",
        operation=_call(kwargs, _page),
        preview={"page_size": page_size, "filtered": sorted(k for k in ("To", "From") if query.get(k))},
        simulated={"messages": [], "next_page_uri": None},
        codes=STATUS_CODES,
    )
