"""The result dicts of the Loops client, as `TypedDict`s (every key beyond `success` may be absent on failure)."""

from __future__ import annotations

from typing import Any

from ..results import Result


class SendResult(Result, total=False):
    """`transactional_email` and `event`: the Idempotency-Key the send carried (a retry reuses it)."""

    idempotency_key: str
    deduplicated: bool
    """True when Loops refused a retry because its first attempt had been accepted: sent exactly once."""


class ApiKeyResult(Result, total=False):
    """`test_api_key`: whether the key is valid, and the team it belongs to."""

    valid: bool
    team_name: str


class ContactIdResult(Result, total=False):
    """`create_contact` / `update_contact`: the contact's Loops ID."""

    id: str


class ContactsResult(Result, total=False):
    """`find_contact`: the matching contacts in Loops' wire form (camelCase), and the first or None."""

    contacts: list[dict[str, Any]]
    contact: dict[str, Any] | None


class DeleteResult(Result, total=False):
    """`delete_contact`: Loops' confirmation message."""

    message: str


class MailingListsResult(Result, total=False):
    """`list_mailing_lists`: `[{id, name, description, isPublic}]`."""

    lists: list[dict[str, Any]]


class ContactPropertiesResult(Result, total=False):
    """`list_contact_properties`: `[{key, label, type}]`."""

    properties: list[dict[str, Any]]


class TransactionalEmailsResult(Result, total=False):
    """`list_transactional_emails`: one page, and the cursor of the next (None on the last page)."""

    emails: list[dict[str, Any]]
    next_cursor: str | None
