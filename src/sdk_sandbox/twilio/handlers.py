"""The Twilio sandbox's upstream API (openapi/twilio.yaml): Messages (create, fetch, list) and Lookup v1/v2."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from ..server import Context, Reply
from ..validation import Rejection, ValidRequest
from . import lifecycle, numbers
from . import messages as msgs
from .state import state_of


def _account(ctx: Context, req: ValidRequest) -> str:
    account = state_of(ctx.app).account_sid
    if req.path["AccountSid"] != account:
        raise Rejection(404, "NOT_FOUND", "The requested resource was not found")
    return account


def _step(ctx: Context) -> float:
    return state_of(ctx.app).step_seconds


def create_message(ctx: Context, req: ValidRequest) -> Reply:
    """POST /2010-04-01/Accounts/{AccountSid}/Messages.json: 201 `queued`, or Twilio's test-number errors."""
    account = _account(ctx, req)
    form = req.body or {}
    to = form.get("To", "")
    sender = form.get("From")
    body = form.get("Body", "")
    media = form.get("MediaUrl", [])
    if sender is None and form.get("MessagingServiceSid") is None:
        raise Rejection(400, "21603", "A 'From' or 'MessagingServiceSid' parameter is required to send a message")
    if not body and not media:
        raise Rejection(400, "21602", "Message body is required.")
    for check in ((numbers.sender_error(sender) if sender else None), numbers.recipient_error(to)):
        if check is not None:
            raise Rejection(400, str(check[0]), check[1])
    now = ctx.clock()
    kind = numbers.line_type(to)
    outcome, error = ("undelivered", 30006) if kind == "landline" else ("delivered", None)
    message = msgs.message_resource(
        msgs.new_sid("MM" if media else "SM"), account, to, sender or "", body, len(media), now
    )
    if form.get("MessagingServiceSid"):
        message["messaging_service_sid"] = form["MessagingServiceSid"]
    msgs.insert(ctx.store, message, outcome, error, form.get("StatusCallback"), now, _step(ctx))
    lifecycle.wake(ctx.app)
    return Reply(201, message)


def fetch_message(ctx: Context, req: ValidRequest) -> Reply:
    """GET /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json."""
    _account(ctx, req)
    row = msgs.load(ctx.store, req.path["Sid"])
    if row is None or row["account_sid"] != state_of(ctx.app).account_sid:
        raise Rejection(404, "NOT_FOUND", "The requested resource was not found")
    return Reply(200, row["data"])


def list_messages(ctx: Context, req: ValidRequest) -> Reply:
    """GET /2010-04-01/Accounts/{AccountSid}/Messages.json: newest first, paged with `next_page_uri`."""
    account = _account(ctx, req)
    size = int(req.query.get("PageSize", 50))
    page = int(req.query.get("Page", 0))
    token = str(req.query.get("PageToken", ""))
    where = ["account_sid = ?"]
    args: list[Any] = [account]
    for name, column in (("To", "to_number"), ("From", "from_number")):
        if name in req.query:
            where.append(f"{column} = ?")
            args.append(req.query[name])
    if token:
        # Tokens are opaque; one the sandbox did not mint points past the last page.
        where.append("seq < ?")
        args.append(int(token[2:]) if token.startswith("PA") and token[2:].isdigit() and len(token) < 20 else 0)
    rows = ctx.store.all(
        f"SELECT seq, data FROM twilio_messages WHERE {' AND '.join(where)} ORDER BY seq DESC LIMIT ?",  # noqa: S608
        (*args, size + 1),
    )
    base = f"/{msgs.API_VERSION}/Accounts/{account}/Messages.json"
    filters = {k: req.query[k] for k in ("To", "From") if k in req.query}
    page_rows = rows[:size]
    next_uri = None
    if len(rows) > size:
        token = "PA" + str(page_rows[-1]["seq"])
        next_uri = f"{base}?{urlencode({**filters, 'PageSize': size, 'Page': page + 1, 'PageToken': token})}"
    return Reply(200, {
        "messages": [json.loads(row["data"]) for row in page_rows], "end": page * size + max(len(page_rows) - 1, 0),
        "first_page_uri": f"{base}?{urlencode({**filters, 'PageSize': size, 'Page': 0})}",
        "next_page_uri": next_uri, "page": page, "page_size": size, "previous_page_uri": None,
        "start": page * size, "uri": f"{base}?{urlencode({**filters, 'PageSize': size, 'Page': page})}",
    })  # fmt: skip


def _lookup_url(version: str, number: str) -> str:
    return f"https://lookups.twilio.com/{version}/PhoneNumbers/{number}"


def fetch_phone_number(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v2/PhoneNumbers/{PhoneNumber}: validity and format always, `line_type_intelligence` when asked."""
    number = req.path["PhoneNumber"]
    fields = {part.strip() for part in str(req.query.get("Fields", "")).split(",") if part.strip()}
    return Reply(200, numbers.lookup_v2(number, req.query.get("CountryCode"), fields, _lookup_url("v2", number)))


def fetch_phone_number_v1(ctx: Context, req: ValidRequest) -> Reply:
    """GET /v1/PhoneNumbers/{PhoneNumber}: 404 (20404) for a number that is not valid."""
    number = req.path["PhoneNumber"]
    answer = numbers.lookup_v1(number, req.query.get("CountryCode"), list(req.query.get("Type", [])),
                               _lookup_url("v1", number))  # fmt: skip
    if answer is None:
        raise Rejection(404, "NOT_FOUND", "The requested resource was not found")
    return Reply(200, answer)
