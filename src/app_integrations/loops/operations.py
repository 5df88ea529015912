"""Every Loops call once, as a `ServiceCall`: arguments checked, request built by the generated `loops_api` client.

`LoopsClient` and `AsyncLoopsClient` only run these, so checks, wire names, previews and parsing exist once.
A bad argument raises `InvalidArgument` here, before anything is sent; the client turns it into a failure dict.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from loops_api.api.api_key import test_api_key as api_test_key
from loops_api.api.contact_properties import create_contact_property as api_create_property
from loops_api.api.contact_properties import list_contact_properties as api_list_properties
from loops_api.api.contacts import create_contact as api_create_contact
from loops_api.api.contacts import delete_contact as api_delete_contact
from loops_api.api.contacts import find_contact as api_find_contact
from loops_api.api.contacts import update_contact as api_update_contact
from loops_api.api.events import send_event as api_send_event
from loops_api.api.mailing_lists import list_mailing_lists as api_lists
from loops_api.api.transactional_emails import list_transactional_emails as api_list_emails
from loops_api.api.transactional_emails import send_transactional_email as api_send_email
from loops_api.models import (
    ApiKeySuccessResponse,
    Contact,
    ContactDeleteRequest,
    ContactDeleteResponse,
    ContactProperty,
    ContactPropertyCreateRequest,
    ContactRequest,
    ContactSuccessResponse,
    ContactUpdateRequest,
    EventRequest,
    ListContactPropertiesList,
    ListTransactionalsResponse,
    MailingList,
    TransactionalRequest,
)

from sdk_runtime import APIResponse, Call, Operation

from .. import arguments
from ..results import (
    ATTACHMENTS_TOO_LARGE,
    CONTACT_EXISTS,
    CONTACT_NOT_FOUND,
    IDEMPOTENCY_KEY_REUSED,
    INVALID_REQUEST,
    TRANSACTIONAL_NOT_FOUND,
    UNAUTHORIZED,
    Failure,
    InvalidArgument,
)
from ..service import ServiceCall
from .types import (
    ApiKeyResult,
    ContactIdResult,
    ContactPropertiesResult,
    ContactsResult,
    DeleteResult,
    MailingListsResult,
    SendResult,
    TransactionalEmailsResult,
)

R = TypeVar("R")
MAX_IDEMPOTENCY_KEY = 100
# Loops does not publish its attachment limit; e-mail providers cap messages near 10 MB, and base64 adds a third.
MAX_ATTACHMENTS_BYTES = 7 * 1024 * 1024
TRANSACTIONAL_OPTIONS = ("add_to_audience", "attachments", "idempotency_key")
CONTACT_FIELDS = {
    "first_name": "firstName",
    "last_name": "lastName",
    "subscribed": "subscribed",
    "user_group": "userGroup",
    "user_id": "userId",
    "mailing_lists": "mailingLists",
}


def _call(kwargs: Mapping[str, Any], parse: Callable[[APIResponse], R]) -> Operation[R]:
    return Operation(Call.from_kwargs(kwargs), parse)


def _idempotency_key(value: object) -> tuple[str, bool]:
    """The key to send and whether we minted it (a key of ours can only have been used by an earlier attempt)."""
    if value is None:
        return f"sdk-{uuid.uuid4()}", True
    if not isinstance(value, str) or not value or len(value) > MAX_IDEMPOTENCY_KEY or not value.isprintable():
        raise InvalidArgument(f"idempotency_key must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters")
    return value, False


def _sent_once(key: str, minted: bool) -> Callable[[Failure], Mapping[str, Any] | None]:
    """A 409 for a key we minted answers a retry whose first attempt went through: the message was sent once."""

    def recover(result: Failure) -> Mapping[str, Any] | None:
        if minted and result["status_code"] == 409:
            return {"success": True, "idempotency_key": key, "deduplicated": True, "request_id": result["request_id"]}
        return None

    return recover


def _data_variables(value: object) -> dict[str, Any]:
    variables = arguments.mapping("data_variables", value)
    for name, item in variables.items():
        if isinstance(item, bool) or not isinstance(item, str | int | float | list):
            raise InvalidArgument(
                f"data variable {name!r} must be a string, a number or a list of dicts (Loops accepts no "
                f"{type(item).__name__})"
            )
        if isinstance(item, list) and not all(isinstance(row, Mapping) for row in item):
            raise InvalidArgument(f"data variable {name!r}: a list must hold dicts only")
    return variables


def _attachments(value: object) -> list[dict[str, str]]:
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        raise InvalidArgument("attachments must be a list of {'filename', 'content_type', 'data'} dicts")
    wire: list[dict[str, str]] = []
    total = 0
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise InvalidArgument(f"attachments[{index}] must be a dict")
        filename = arguments.non_empty(f"attachments[{index}].filename", item.get("filename"))
        content_type = arguments.non_empty(
            f"attachments[{index}].content_type", item.get("content_type", item.get("contentType"))
        )
        data = item.get("data")
        if isinstance(data, bytes):
            size, encoded = len(data), base64.b64encode(data).decode("ascii")
        elif isinstance(data, str):
            try:
                size, encoded = len(base64.b64decode(data, validate=True)), data
            except (binascii.Error, ValueError):
                raise InvalidArgument(f"attachments[{index}].data must be bytes or base64 text") from None
        else:
            raise InvalidArgument(f"attachments[{index}].data must be bytes or base64 text")
        total += size
        wire.append({"filename": filename, "contentType": content_type, "data": encoded})
    if total > MAX_ATTACHMENTS_BYTES:
        raise InvalidArgument(
            f"attachments total {total} bytes, over the {MAX_ATTACHMENTS_BYTES} byte limit", ATTACHMENTS_TOO_LARGE
        )
    return wire


def _send_result(key: str) -> Callable[[APIResponse], SendResult]:
    def parse(response: APIResponse) -> SendResult:
        if not isinstance(response.data, Mapping) or response.data.get("success") is not True:
            raise ValueError("Loops did not confirm the send")
        return {"success": True, "idempotency_key": key, "request_id": response.request_id}

    return parse


def transactional_email(
    to_email: str, transactional_id: str, data_variables: Mapping[str, Any] | None, options: Mapping[str, Any]
) -> ServiceCall[SendResult]:
    """POST /transactional: send a published template to `to_email`."""
    arguments.no_unknown("transactional_email", options, TRANSACTIONAL_OPTIONS)
    body: dict[str, Any] = {
        "email": arguments.email("to_email", to_email),
        "transactionalId": arguments.non_empty("transactional_id", transactional_id),
    }
    variables = _data_variables(data_variables)
    if variables:
        body["dataVariables"] = variables
    if options.get("add_to_audience") is not None:
        if not isinstance(options["add_to_audience"], bool):
            raise InvalidArgument("add_to_audience must be True or False")
        body["addToAudience"] = options["add_to_audience"]
    if options.get("attachments"):
        body["attachments"] = _attachments(options["attachments"])
    key, minted = _idempotency_key(options.get("idempotency_key"))
    request = TransactionalRequest.from_dict(body)
    return ServiceCall(
        name="transactional_email",
        operation=_call(api_send_email._get_kwargs(body=request, idempotency_key=key), _send_result(key)),
        preview={
            "to": body["email"],
            "transactional_id": body["transactionalId"],
            # Names only: values are often links that carry a token (password reset, login).
            "data_variables": sorted(variables),
            "attachments": [item["filename"] for item in body.get("attachments", [])],
        },
        simulated={"idempotency_key": key},
        codes={404: TRANSACTIONAL_NOT_FOUND, 409: IDEMPOTENCY_KEY_REUSED, 400: INVALID_REQUEST},
        recover=_sent_once(key, minted),
    )


def event(
    to_email: str, event_name: str, event_properties: Mapping[str, Any] | None, idempotency_key: str | None
) -> ServiceCall[SendResult]:
    """POST /events/send: an event for the contact `to_email` (created when unknown)."""
    body: dict[str, Any] = {
        "email": arguments.email("to_email", to_email),
        "eventName": arguments.non_empty("event_name", event_name),
    }
    properties = arguments.mapping("event_properties", event_properties)
    if properties:
        body["eventProperties"] = properties
    key, minted = _idempotency_key(idempotency_key)
    request = EventRequest.from_dict(body)
    return ServiceCall(
        name="event",
        operation=_call(api_send_event._get_kwargs(body=request, idempotency_key=key), _send_result(key)),
        preview={"to": body["email"], "event_name": body["eventName"], "event_properties": sorted(properties)},
        simulated={"idempotency_key": key},
        codes={409: IDEMPOTENCY_KEY_REUSED, 400: INVALID_REQUEST},
        recover=_sent_once(key, minted),
    )


def _invalid_key(result: Failure) -> Mapping[str, Any] | None:
    if result["status_code"] == 401:
        return {**result, "valid": False, "code": UNAUTHORIZED}
    return None


def _api_key_result(response: APIResponse) -> ApiKeyResult:
    parsed = ApiKeySuccessResponse.from_dict(response.data)
    return {"success": True, "valid": True, "team_name": parsed.team_name, "request_id": response.request_id}


def test_api_key() -> ServiceCall[ApiKeyResult]:
    """GET /api-key: whether the configured key is valid (an invalid key is `valid: False`)."""
    return ServiceCall(
        name="test_api_key",
        operation=_call(api_test_key._get_kwargs(), _api_key_result),
        preview={},
        simulated={"valid": True, "team_name": "Simulated team"},
        recover=_invalid_key,
    )


def _contact_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None:
            continue
        key = CONTACT_FIELDS.get(name, name)
        if isinstance(value, Mapping) and key != "mailingLists":
            raise InvalidArgument(f"contact property {name!r} must be a string, number or boolean")
        wire[key] = value
    return wire


def _contact_id(response: APIResponse) -> ContactIdResult:
    parsed = ContactSuccessResponse.from_dict(response.data)
    return {"success": True, "id": parsed.id, "request_id": response.request_id}


def create_contact(email: str, fields: Mapping[str, Any]) -> ServiceCall[ContactIdResult]:
    """POST /contacts/create; `fields` are snake_case standard fields or custom properties."""
    body = {"email": arguments.email("email", email), **_contact_fields(fields)}
    request = ContactRequest.from_dict(body)
    return ServiceCall(
        name="create_contact",
        operation=_call(api_create_contact._get_kwargs(body=request), _contact_id),
        preview={"email": body["email"], "fields": sorted(k for k in body if k != "email")},
        simulated={"id": "simulated"},
        codes={409: CONTACT_EXISTS, 400: INVALID_REQUEST},
    )


def _identity(email: str | None, user_id: str | None) -> dict[str, str]:
    """Exactly one of `email` / `user_id`, as Loops wants for find and delete."""
    if (email is None) == (user_id is None):
        raise InvalidArgument("pass exactly one of email or user_id")
    if email is not None:
        return {"email": arguments.email("email", email)}
    return {"userId": arguments.non_empty("user_id", user_id)}


def update_contact(email: str | None, user_id: str | None, fields: Mapping[str, Any]) -> ServiceCall[ContactIdResult]:
    """PUT /contacts/update: by email (or user_id), creating the contact when it does not exist."""
    if email is None and user_id is None:
        raise InvalidArgument("pass email or user_id")
    identity: dict[str, Any] = {}
    if email is not None:
        identity["email"] = arguments.email("email", email)
    if user_id is not None:
        identity["userId"] = arguments.non_empty("user_id", user_id)
    body = {**identity, **_contact_fields(fields)}
    request = ContactUpdateRequest.from_dict(body)
    return ServiceCall(
        name="update_contact",
        operation=_call(api_update_contact._get_kwargs(body=request), _contact_id),
        preview={"identity": sorted(identity), "fields": sorted(set(body) - set(identity))},
        simulated={"id": "simulated"},
        codes={400: INVALID_REQUEST},
    )


def _contacts(response: APIResponse) -> ContactsResult:
    if not isinstance(response.data, list):
        raise TypeError("expected a list of contacts")
    contacts = [Contact.from_dict(item).to_dict() for item in response.data]
    return {
        "success": True,
        "contacts": contacts,
        "contact": contacts[0] if contacts else None,
        "request_id": response.request_id,
    }


def find_contact(email: str | None, user_id: str | None) -> ServiceCall[ContactsResult]:
    """GET /contacts/find by exactly one of email or user_id."""
    identity = _identity(email, user_id)
    kwargs = api_find_contact._get_kwargs(email=identity.get("email"), user_id=identity.get("userId"))  # type: ignore[arg-type]
    return ServiceCall(
        name="find_contact",
        operation=_call(kwargs, _contacts),
        preview={"identity": sorted(identity)},
        simulated={"contacts": [], "contact": None},
    )


def _deleted(response: APIResponse) -> DeleteResult:
    parsed = ContactDeleteResponse.from_dict(response.data)
    return {"success": True, "message": parsed.message, "request_id": response.request_id}


def delete_contact(email: str | None, user_id: str | None) -> ServiceCall[DeleteResult]:
    """POST /contacts/delete by exactly one of email or user_id."""
    identity = _identity(email, user_id)
    request = ContactDeleteRequest.from_dict(identity)
    return ServiceCall(
        name="delete_contact",
        operation=_call(api_delete_contact._get_kwargs(body=request), _deleted),
        preview={"identity": sorted(identity)},
        simulated={"message": "Contact deleted."},
        codes={404: CONTACT_NOT_FOUND, 400: INVALID_REQUEST},
    )


def _mailing_lists(response: APIResponse) -> MailingListsResult:
    if not isinstance(response.data, list):
        raise TypeError("expected a list of mailing lists")
    lists = [MailingList.from_dict(item).to_dict() for item in response.data]
    return {"success": True, "lists": lists, "request_id": response.request_id}


def list_mailing_lists() -> ServiceCall[MailingListsResult]:
    """GET /lists."""
    return ServiceCall(
        name="list_mailing_lists",
        operation=_call(api_lists._get_kwargs(), _mailing_lists),
        preview={},
        simulated={"lists": []},
    )


def _properties(response: APIResponse) -> ContactPropertiesResult:
    if not isinstance(response.data, list):
        raise TypeError("expected a list of contact properties")
    properties = [ContactProperty.from_dict(item).to_dict() for item in response.data]
    return {"success": True, "properties": properties, "request_id": response.request_id}


def list_contact_properties(which: str) -> ServiceCall[ContactPropertiesResult]:
    """GET /contacts/properties?list=all|custom."""
    if which not in ("all", "custom"):
        raise InvalidArgument("list must be 'all' or 'custom'")
    return ServiceCall(
        name="list_contact_properties",
        operation=_call(api_list_properties._get_kwargs(list_=ListContactPropertiesList(which)), _properties),
        preview={"list": which},
        simulated={"properties": []},
    )


def _confirmed(response: APIResponse) -> DeleteResult:
    if not isinstance(response.data, Mapping) or response.data.get("success") is not True:
        raise ValueError("Loops did not confirm")
    return {"success": True, "request_id": response.request_id}


def create_contact_property(name: str, kind: str) -> ServiceCall[DeleteResult]:
    """POST /contacts/properties: a custom property `name` (camelCase) of type string/number/boolean/date."""
    if kind not in ("string", "number", "boolean", "date"):
        raise InvalidArgument("type must be one of string, number, boolean, date")
    request = ContactPropertyCreateRequest.from_dict({"name": arguments.non_empty("name", name, 100), "type": kind})
    return ServiceCall(
        name="create_contact_property",
        operation=_call(api_create_property._get_kwargs(body=request), _confirmed),
        preview={"name": name, "type": kind},
        simulated={},
        codes={400: INVALID_REQUEST},
    )


def _emails(response: APIResponse) -> TransactionalEmailsResult:
    parsed = ListTransactionalsResponse.from_dict(response.data)
    cursor = parsed.pagination.next_cursor
    return {
        "success": True,
        "emails": [item.to_dict() for item in parsed.data],
        "next_cursor": cursor if isinstance(cursor, str) and cursor else None,
        "request_id": response.request_id,
    }


def list_transactional_emails(per_page: int, cursor: str | None) -> ServiceCall[TransactionalEmailsResult]:
    """GET /transactional: one page of published transactional emails."""
    if isinstance(per_page, bool) or not isinstance(per_page, int) or not 10 <= per_page <= 50:
        raise InvalidArgument("per_page must be an integer from 10 to 50")
    kwargs = api_list_emails._get_kwargs(
        per_page=str(per_page),
        cursor=arguments.non_empty("cursor", cursor, 200) if cursor is not None else None,  # type: ignore[arg-type]
    )
    return ServiceCall(
        name="list_transactional_emails",
        operation=_call(kwargs, _emails),
        preview={"per_page": per_page},
        simulated={"emails": [], "next_cursor": None},
    )
