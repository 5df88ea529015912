"""The Loops API's operations (openapi/loops.yaml), one handler per operationId, over SQLite.

Bodies follow Loops: `{"success": true, ...}` on success, `{"success": false, "message"}` on failure; the
transactional send uses the documented 400 variants (see `send_transactional_email`).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from typing import Any

from ..server import Context, Handler, Reply
from ..spec import FORMATS
from ..validation import Rejection, ValidRequest
from . import webhooks
from .state import state_of

SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS templates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, name TEXT NOT NULL,
    data_variables TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, last_updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contacts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, email TEXT UNIQUE NOT NULL COLLATE NOCASE,
    user_id TEXT UNIQUE, body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contact_properties (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE NOT NULL, label TEXT NOT NULL, type TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mailing_lists (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, name TEXT NOT NULL, description TEXT,
    is_public INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
"""
    + webhooks.DELIVERIES_TABLE
)
TABLES = (
    "templates",
    "contacts",
    "contact_properties",
    "mailing_lists",
    "outbox",
    "events",
    "webhook_deliveries",
    "webhook_events",
)

# Loops' own contact properties (GET /contacts/properties?list=all lists them before the team's custom ones).
DEFAULT_PROPERTIES = (
    ("email", "Email", "string"), ("firstName", "First Name", "string"), ("lastName", "Last Name", "string"),
    ("notes", "Notes", "string"), ("source", "Source", "string"), ("subscribed", "Subscribed", "boolean"),
    ("userGroup", "User Group", "string"), ("userId", "User ID", "string"),
)  # fmt: skip
CONTACT_FIELDS = frozenset({"email", "firstName", "lastName", "subscribed", "userGroup", "userId", "mailingLists"})
EVENT_FIELDS = frozenset({"email", "userId", "eventName", "eventProperties", "mailingLists"})
MAX_ATTACHMENT_BYTES = 7 * 1024 * 1024
PER_PAGE_DEFAULT, PER_PAGE_MIN, PER_PAGE_MAX = 20, 10, 50
_CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]*$")
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")


def failure(status: int, message: str, **extra: Any) -> Reply:
    """A Loops failure body, `{"success": false, "message", ...extra}`."""
    return Reply(status, {"success": False, "message": message, **extra})


def _bad(message: str) -> Rejection:
    return Rejection(400, "BAD_REQUEST", message)


def _check_email(email: str) -> None:
    if not FORMATS.conforms(email, "email"):
        raise _bad("Invalid email address.")


# Contacts ------------------------------------------------------------------------------------------------------


def find_contacts(ctx: Context, email: str | None, user_id: str | None) -> list[dict[str, Any]]:
    """The contacts with this email or userId (at most one each), oldest first."""
    rows = ctx.store.all(
        "SELECT body FROM contacts WHERE email = ? OR user_id = ? ORDER BY seq", (email or "\0", user_id or "\0")
    )
    return [json.loads(row["body"]) for row in rows]


def _contact_by(ctx: Context, column: str, value: str) -> dict[str, Any] | None:
    row = ctx.store.one(f"SELECT body FROM contacts WHERE {column} = ?", (value,))  # noqa: S608  (our columns)
    return json.loads(row["body"]) if row is not None else None


def _save_contact(ctx: Context, contact: dict[str, Any], *, new: bool) -> None:
    args = (contact["email"], contact["userId"], json.dumps(contact), contact["id"])
    if new:
        ctx.store.execute("INSERT INTO contacts (email, user_id, body, id) VALUES (?, ?, ?, ?)", args)
    else:
        ctx.store.execute("UPDATE contacts SET email = ?, user_id = ?, body = ? WHERE id = ?", args)


def new_contact(email: str, source: str = "API") -> dict[str, Any]:
    """A contact as Loops returns it, with no names, subscribed, on no list."""
    return {
        "id": f"cnt_{uuid.uuid4().hex[:20]}", "email": email, "firstName": None, "lastName": None, "source": source,
        "subscribed": True, "userGroup": "", "userId": None, "mailingLists": {}, "optInStatus": None,
    }  # fmt: skip


def _apply_properties(ctx: Context, contact: dict[str, Any], body: dict[str, Any], known: frozenset[str]) -> None:
    """Copy the documented fields, custom properties (type-checked when the team created them) and list changes."""
    custom = {row["key"]: row["type"] for row in ctx.store.all("SELECT key, type FROM contact_properties")}
    for key, value in body.items():
        if key == "mailingLists":
            if value is not None:  # the SDKs send `null` for "no list changes"
                _apply_lists(ctx, contact, value)
        elif key in ("email", "eventName", "eventProperties"):
            continue
        elif value is None:
            _reset(contact, key)
        elif key in known:
            contact[key] = value
        else:
            if key in custom and not _has_type(value, custom[key]):
                raise _bad(f"Invalid value for contact property {key} (expected {custom[key]}).")
            contact[key] = value


RESET_VALUES: dict[str, Any] = {"firstName": None, "lastName": None, "userGroup": "", "userId": None}
"""What Loops' own properties hold once reset with `null`; a custom property set to `null` is removed."""
NOT_RESETTABLE = frozenset({"subscribed"})


def _reset(contact: dict[str, Any], key: str) -> None:
    """Loops' `null`: "to empty or reset the value of a property, send a null value"."""
    if key in NOT_RESETTABLE:
        raise _bad(f"{key} cannot be null.")
    if key in RESET_VALUES:
        contact[key] = RESET_VALUES[key]
    else:
        contact.pop(key, None)


def _has_type(value: Any, kind: str) -> bool:
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "date":
        return isinstance(value, str | int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def _apply_lists(ctx: Context, contact: dict[str, Any], lists: dict[str, bool]) -> None:
    known = {row["id"] for row in ctx.store.all("SELECT id FROM mailing_lists")}
    for list_id, subscribed in lists.items():
        if list_id not in known:
            raise _bad(f"Mailing list {list_id[:100]} does not exist.")
        if subscribed:
            contact["mailingLists"][list_id] = True
        else:
            contact["mailingLists"].pop(list_id, None)


def create_contact(ctx: Context, req: ValidRequest) -> Reply:
    """POST /contacts/create: 409 when the email or the userId belongs to a contact already."""
    body = req.body
    _check_email(body["email"])
    with ctx.store.transaction():
        if find_contacts(ctx, body["email"], body.get("userId")):
            return failure(409, "Email or userId is already on list.")
        contact = new_contact(body["email"])
        _apply_properties(ctx, contact, body, CONTACT_FIELDS)
        _save_contact(ctx, contact, new=True)
    return Reply(200, {"success": True, "id": contact["id"]})


def _resolve(ctx: Context, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The contact an update or an event is for, and whether it is new: found by userId, else by email (then
    the email may change); created when neither matches and an email is given."""
    email, user_id = body.get("email"), body.get("userId")
    if email is None and user_id is None:
        raise _bad("An email or userId is required.")
    if email is not None:
        _check_email(email)
    by_user = _contact_by(ctx, "user_id", user_id) if user_id is not None else None
    by_email = _contact_by(ctx, "email", email) if email is not None else None
    if by_user and by_email and by_user["id"] != by_email["id"]:
        raise _bad("The email and the userId belong to different contacts.")
    contact = by_user or by_email
    if contact is not None:
        if email is not None:
            contact["email"] = email
        return contact, False
    if email is None:
        raise _bad("No contact has this userId; an email is required to create one.")
    return new_contact(email), True


def update_contact(ctx: Context, req: ValidRequest) -> Reply:
    """PUT /contacts/update: the contact `_resolve` finds or creates, with the body's fields applied."""
    with ctx.store.transaction():
        contact, created = _resolve(ctx, req.body)
        _apply_properties(ctx, contact, req.body, CONTACT_FIELDS)
        _save_contact(ctx, contact, new=created)
    return Reply(200, {"success": True, "id": contact["id"]})


def _one_identifier(values: Any) -> tuple[str, str]:
    email, user_id = values.get("email"), values.get("userId")
    if (email is None) == (user_id is None):
        raise _bad("Provide either an email or a userId, not both.")
    return ("email", email) if email is not None else ("user_id", user_id)


def find_contact(ctx: Context, req: ValidRequest) -> Reply:
    """GET /contacts/find: by exactly one of `email` and `userId`; a list, empty when none matches."""
    column, value = _one_identifier(req.query)
    contact = _contact_by(ctx, column, value)
    return Reply(200, [contact] if contact is not None else [])


def delete_contact(ctx: Context, req: ValidRequest) -> Reply:
    """POST /contacts/delete: by exactly one of `email` and `userId`; 404 when none matches."""
    column, value = _one_identifier(req.body)
    if not ctx.store.execute(f"DELETE FROM contacts WHERE {column} = ?", (value,)):  # noqa: S608  (our columns)
        return failure(404, "Contact not found.")
    return Reply(200, {"success": True, "message": "Contact deleted."})


# Contact properties and mailing lists ---------------------------------------------------------------------------


def list_contact_properties(ctx: Context, req: ValidRequest) -> Reply:
    """GET /contacts/properties: Loops' own properties (unless `list=custom`), then the team's."""
    rows = ctx.store.all("SELECT key, label, type FROM contact_properties ORDER BY seq")
    custom = [{"key": r["key"], "label": r["label"], "type": r["type"]} for r in rows]
    defaults = [{"key": k, "label": label, "type": t} for k, label, t in DEFAULT_PROPERTIES]
    return Reply(200, custom if req.query.get("list") == "custom" else defaults + custom)


def create_contact_property(ctx: Context, req: ValidRequest) -> Reply:
    """POST /contacts/properties: a camelCase name no property has yet."""
    name, kind = req.body["name"], req.body["type"]
    if not _CAMEL_CASE.match(name):
        raise _bad("Property names must be in camelCase.")
    if name in {key for key, _, _ in DEFAULT_PROPERTIES} or ctx.store.one(
        "SELECT 1 FROM contact_properties WHERE key = ?", (name,)
    ):
        raise _bad(f"A property named {name} already exists.")
    label = re.sub(r"(?<!^)(?=[A-Z])", " ", name).title()
    ctx.store.execute("INSERT INTO contact_properties (key, label, type) VALUES (?, ?, ?)", (name, label, kind))
    return Reply(200, {"success": True})


def list_mailing_lists(ctx: Context, req: ValidRequest) -> Reply:
    """GET /lists."""
    rows = ctx.store.all("SELECT * FROM mailing_lists ORDER BY seq")
    return Reply(200, [mailing_list(row) for row in rows])


def mailing_list(row: dict[str, Any]) -> dict[str, Any]:
    """A `mailing_lists` row as the API shows it."""
    return {"id": row["id"], "name": row["name"], "description": row["description"], "isPublic": bool(row["is_public"])}


# API key and events ---------------------------------------------------------------------------------------------


def test_api_key(ctx: Context, req: ValidRequest) -> Reply:
    """GET /api-key: the key is valid (the server checked it) and names the team."""
    return Reply(200, {"success": True, "teamName": state_of(ctx.app).account["teamName"]})


def send_event(ctx: Context, req: ValidRequest) -> Reply:
    """POST /events/send: for the contact `_resolve` finds or creates (an unknown email creates it)."""
    body = req.body
    with ctx.store.transaction():
        contact, created = _resolve(ctx, body)
        _apply_properties(ctx, contact, body, EVENT_FIELDS)
        _save_contact(ctx, contact, new=created)
        record = {
            "eventName": body["eventName"], "contactId": contact["id"], "email": contact["email"],
            "userId": contact["userId"], "eventProperties": body.get("eventProperties") or {},
            "idempotencyKey": req.headers.get("Idempotency-Key"), "timestamp": int(ctx.clock()),
            "contactCreated": created,
        }  # fmt: skip
        ctx.store.execute("INSERT INTO events (body) VALUES (?)", (json.dumps(record),))
    if created:
        identity = {"id": contact["id"], "email": contact["email"], "userId": contact["userId"]}
        deliverer(ctx).enqueue(webhooks.envelope("contact.created", int(ctx.clock()), contactIdentity=identity))
    return Reply(200, {"success": True})


# Transactional e-mail --------------------------------------------------------------------------------------------


def template_record(row: dict[str, Any]) -> dict[str, Any]:
    """A `templates` row as GET /transactional lists it (plus, for control answers, its subject and body)."""
    return {
        "id": row["id"], "name": row["name"], "lastUpdated": row["last_updated"],
        "dataVariables": json.loads(row["data_variables"]), "subject": row["subject"], "body": row["body"],
    }  # fmt: skip


def list_transactional_emails(ctx: Context, req: ValidRequest) -> Reply:
    """GET /transactional: pages of 10 to 50 (default 20); `nextCursor` is the id of the page's last email."""
    per_page = int(req.query.get("perPage", PER_PAGE_DEFAULT))
    if not PER_PAGE_MIN <= per_page <= PER_PAGE_MAX:
        raise _bad(f"perPage must be between {PER_PAGE_MIN} and {PER_PAGE_MAX}.")
    after = 0
    if "cursor" in req.query:
        row = ctx.store.one("SELECT seq FROM templates WHERE id = ?", (req.query["cursor"],))
        if row is None:
            raise _bad("Invalid cursor.")
        after = row["seq"]
    total = ctx.store.one("SELECT COUNT(*) AS n FROM templates")["n"]  # type: ignore[index]
    rows = ctx.store.all("SELECT * FROM templates WHERE seq > ? ORDER BY seq LIMIT ?", (after, per_page + 1))
    page, more = rows[:per_page], len(rows) > per_page
    cursor = page[-1]["id"] if more else None
    pagination = {
        "totalResults": total, "returnedResults": len(page), "perPage": per_page,
        "totalPages": -(-total // per_page), "nextCursor": cursor,
        "nextPage": f"/api/v1/transactional?cursor={cursor}&perPage={per_page}" if cursor else None,
    }  # fmt: skip
    data = [{k: v for k, v in template_record(row).items() if k not in ("subject", "body")} for row in page]
    return Reply(200, {"pagination": pagination, "data": data})


def transactional_resource(row: dict[str, Any]) -> dict[str, Any]:
    """A `templates` row as `GET /transactional-emails` shows it: a published email with its message IDs."""
    return {
        "id": row["id"], "url": f"https://app.loops.so/transactional/{row['id']}", "name": row["name"],
        "draftEmailMessageId": None, "publishedEmailMessageId": f"msg_{row['id']}", "transactionalGroupId": None,
        "createdAt": row["last_updated"], "updatedAt": row["last_updated"],
        "dataVariables": json.loads(row["data_variables"]),
    }  # fmt: skip


def list_transactional_email_resources(ctx: Context, req: ValidRequest) -> Reply:
    """GET /transactional-emails: the pages of `GET /transactional`, each email as a transactional email resource."""
    reply = list_transactional_emails(ctx, req)
    ids = [item["id"] for item in reply.body["data"]]
    rows = {row["id"]: row for row in ctx.store.all("SELECT * FROM templates")} if ids else {}
    pagination = dict(reply.body["pagination"])
    if pagination["nextPage"]:
        pagination["nextPage"] = pagination["nextPage"].replace(
            "/api/v1/transactional?", "/api/v1/transactional-emails?"
        )
    return Reply(200, {"pagination": pagination, "data": [transactional_resource(rows[i]) for i in ids]})


def get_transactional_email(ctx: Context, req: ValidRequest) -> Reply:
    """GET /transactional-emails/{transactionalId}."""
    row = ctx.store.one("SELECT * FROM templates WHERE id = ?", (req.path["transactionalId"],))
    if row is None:
        return failure(404, "Transactional email not found.")
    return Reply(200, transactional_resource(row))


def render(text: str, variables: dict[str, Any]) -> str:
    """`{{name}}` replaced by the data variable's value (numbers as text, arrays as JSON; unknown ones empty)."""

    def value(match: re.Match[str]) -> str:
        found = variables.get(match.group(1), "")
        return found if isinstance(found, str) else json.dumps(found)

    return _VARIABLE.sub(value, text)


def _attachments(ctx: Context, items: list[dict[str, Any]]) -> list[dict[str, Any]] | Reply:
    """Each attachment's name, type and decoded size, or the failure reply Loops gives."""
    if not items:
        return []
    if not state_of(ctx.app).account["attachmentsEnabled"]:
        return failure(
            400, "Attachments are not enabled on this account.",
            error={"path": "attachments", "reason": "attachments not enabled"},
        )  # fmt: skip
    summary, total = [], 0
    for index, item in enumerate(items):
        try:
            size = len(base64.b64decode(item["data"], validate=True))
        except (binascii.Error, ValueError):
            return failure(400, "Attachment data must be base64.", error={"path": f"attachments.{index}.data"})
        total += size
        summary.append({"filename": item["filename"], "contentType": item["contentType"], "size": size})
    if total > MAX_ATTACHMENT_BYTES:
        return failure(413, f"Attachments may total at most {MAX_ATTACHMENT_BYTES} bytes.")
    return summary


def send_transactional_email(ctx: Context, req: ValidRequest) -> Reply:
    """POST /transactional: renders the template into the outbox and queues its webhook events.

    Failures: unknown template 404 `{success, message, error: {path: "transactionalId", message}}`; a missing
    required data variable 400 `{success, message: "Missing required fields: a, b", error: {path:
    "dataVariables", message}, transactionalId}`; an invalid address 400 `{success, message, path: "email"}`;
    attachments not enabled 400 `{success, message, error: {path: "attachments", reason}}`; more than 7 MB of
    decoded attachments 413 `{success, message}`.
    """
    body = req.body
    transactional_id = body["transactionalId"]
    row = ctx.store.one("SELECT * FROM templates WHERE id = ?", (transactional_id,))
    if row is None:
        message = "Transactional email not found."
        return failure(404, message, error={"path": "transactionalId", "message": message})
    if not FORMATS.conforms(body["email"], "email"):
        return failure(400, "Invalid email address.", path="email")
    variables = body.get("dataVariables", {})
    missing = [name for name in json.loads(row["data_variables"]) if name not in variables]
    if missing:
        message = f"Missing required fields: {', '.join(missing)}"
        error = {"path": "dataVariables", "message": message}
        return failure(400, message, error=error, transactionalId=transactional_id)
    attachments = _attachments(ctx, body.get("attachments", []))
    if isinstance(attachments, Reply):
        return attachments
    now = int(ctx.clock())
    with ctx.store.transaction():
        contact = _contact_by(ctx, "email", body["email"])
        if contact is None and body.get("addToAudience"):
            contact = new_contact(body["email"])
            _save_contact(ctx, contact, new=True)
        email = {
            "id": f"em_{uuid.uuid4().hex[:20]}", "emailMessageId": f"<{uuid.uuid4()}@sandbox.loops.so>",
            "transactionalId": transactional_id, "email": body["email"], "dataVariables": variables,
            "attachments": attachments, "addToAudience": bool(body.get("addToAudience", False)),
            "idempotencyKey": req.headers.get("Idempotency-Key"), "subject": render(row["subject"], variables),
            "body": render(row["body"], variables), "contactId": contact["id"] if contact else None,
            "timestamp": now,
        }  # fmt: skip
        ctx.store.execute("INSERT INTO outbox (body) VALUES (?)", (json.dumps(email),))
    _queue_send_events(ctx, email, contact)
    return Reply(200, {"success": True})


def outcome_for(ctx: Context, address: str) -> str:
    """What happens to mail for `address`: set through control, else the magic local parts, else `delivered`."""
    configured = state_of(ctx.app).recipients
    if address.lower() in configured:
        return configured[address.lower()]
    local = address.split("@", 1)[0].split("+", 1)[0].lower()
    return {"bounce": "hardBounced", "softbounce": "softBounced", "spam": "spamReported"}.get(local, "delivered")


def _queue_send_events(ctx: Context, email: dict[str, Any], contact: dict[str, Any] | None) -> None:
    """`transactional.email.sent`, then the outcome's events (a hard bounce also unsubscribes the contact)."""
    outcome = outcome_for(ctx, email["email"])
    identity = {
        "id": contact["id"] if contact else f"cnt_{uuid.uuid5(uuid.NAMESPACE_URL, email['email']).hex[:20]}",
        "email": email["email"], "userId": contact["userId"] if contact else None,
    }  # fmt: skip
    fields = {
        "contactIdentity": identity, "email": {k: email[k] for k in ("id", "emailMessageId", "subject")},
        "sourceType": "transactional", "transactionalId": email["transactionalId"],
    }  # fmt: skip
    out = deliverer(ctx)
    now = int(ctx.clock())
    out.enqueue(webhooks.envelope("transactional.email.sent", now, **fields))
    out.enqueue(webhooks.envelope(f"email.{outcome}", now, **fields))
    if outcome == "hardBounced":
        if contact is not None:
            contact["subscribed"] = False
            _save_contact(ctx, contact, new=False)
        out.enqueue(webhooks.envelope("contact.unsubscribed", now, contactIdentity=identity))


def deliverer(ctx: Context) -> webhooks.Deliverer:
    """This sandbox's webhook deliverer."""
    return state_of(ctx.app).webhooks


HANDLERS: dict[str, Handler] = {
    "testApiKey": test_api_key,
    "sendTransactionalEmail": send_transactional_email,
    "listTransactionalEmails": list_transactional_emails,
    "listTransactionalEmailResources": list_transactional_email_resources,
    "getTransactionalEmail": get_transactional_email,
    "sendEvent": send_event,
    "createContact": create_contact,
    "updateContact": update_contact,
    "findContact": find_contact,
    "deleteContact": delete_contact,
    "listContactProperties": list_contact_properties,
    "createContactProperty": create_contact_property,
    "listMailingLists": list_mailing_lists,
}
