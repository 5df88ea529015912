"""The Twilio sandbox: `build_twilio_app()` serves openapi/twilio.yaml (Messages and Lookups) plus its control
endpoints, over SQLite, and delivers signed status callbacks as messages move on the sandbox clock."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from ..control import COMMON_HANDLERS, control_index
from ..server import ApiDefinition, Context, Reply, SandboxApp
from ..spec import SpecIndex
from ..specs import spec_path
from ..state import Store
from ..validation import Rejection, ValidRequest
from . import callbacks, numbers
from . import messages as msgs
from .panel import twilio_panel
from .state import TwilioState, state_of

logger = logging.getLogger("sdk_sandbox.twilio")
CONTROL_SPEC = Path(__file__).with_name("control.yaml")
DEFAULT_STEP_SECONDS = 1.0
TICK_SECONDS = 0.05
# Twilio's codes for the sandbox's generic rejections, and for fields that fail validation.
GENERIC_CODES = {
    "UNAUTHORIZED": 20003, "NOT_FOUND": 20404, "METHOD_NOT_ALLOWED": 20004, "RATE_LIMITED": 20429,
    "SERVICE_UNAVAILABLE": 20503, "INTERNAL_ERROR": 20500, "BAD_GATEWAY": 20500, "GATEWAY_TIMEOUT": 20500,
}  # fmt: skip
FIELD_CODES = {"To": 21604, "From": 21212, "Body": 21617, "StatusCallback": 21609, "MediaUrl": 21620}
GENERIC_MESSAGES = {20003: "Authenticate", 20404: "The requested resource was not found"}


def error_body(status: int, code: str, message: str, fields: Mapping[str, list[str]]) -> dict[str, Any]:
    """Twilio's `{code, message, more_info, status}`; field problems are folded into the message."""
    if code.isdigit():
        number = int(code)
    elif fields:
        first = next(iter(fields))
        number = FIELD_CODES.get(first.split(".")[0], 20001)
        if first == "To" and "is required" not in fields[first]:
            number = 21211
    else:
        number = GENERIC_CODES.get(code, 20001 if status < 500 else 20500)
    if fields:
        message = f"{message}: " + "; ".join(f"{name} {', '.join(texts)}" for name, texts in fields.items())
    message = GENERIC_MESSAGES.get(number, message) if not fields and not code.isdigit() else message
    return {"code": number, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{number}",
            "status": status}  # fmt: skip


def check_credential(app: SandboxApp, credential: str) -> bool:
    """Accept `AccountSid:AuthToken`, or an API key `SK...:secret` of the account."""
    return credential in app.api_keys


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
    _wake(ctx.app)
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


# --- control endpoints (kept out of openapi/twilio.yaml) ---------------------------------------------------------


def _move(app: SandboxApp, row: dict[str, Any], status: str, error_code: int | None = None) -> dict[str, Any]:
    """One transition and its callback."""
    data = msgs.transition(app.store, row, status, app.now(), state_of(app).step_seconds, error_code)
    if row["callback_url"]:
        callbacks.queue(app.store, row["sid"], row["callback_url"], msgs.callback_params(data),
                        state_of(app).auth_token, app.now())  # fmt: skip
    _wake(app)
    return data


def _control_row(ctx: Context, sid: str) -> dict[str, Any]:
    row = msgs.load(ctx.store, sid)
    if row is None:
        raise Rejection(404, "NOT_FOUND", "No such message")
    return row


def advance_message(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/messages/{Sid}/advance: the next state now, or every state up to `to` (a callback each)."""
    row = _control_row(ctx, req.path["Sid"])
    target = (req.body or {}).get("to")
    if row["status"] in msgs.TERMINAL:
        raise Rejection(409, "CONFLICT", f"the message is already {row['status']}")
    if target is not None and target not in (*msgs.PATH, row["outcome"]):
        raise Rejection(409, "CONFLICT", f"this message ends {row['outcome']}; it never reaches {target}")
    data = row["data"]
    while (status := msgs.next_status(row)) is not None:
        data = _move(ctx.app, row, status)
        row = _control_row(ctx, row["sid"])
        if target is None or status == target:
            break
    return Reply(200, data)


def fail_message(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/messages/{Sid}/fail: `failed` (before `sent`) or `undelivered` (after), with an error code."""
    row = _control_row(ctx, req.path["Sid"])
    body = req.body or {}
    if row["status"] in msgs.TERMINAL:
        raise Rejection(409, "CONFLICT", f"the message is already {row['status']}")
    status = body.get("status") or ("undelivered" if row["status"] == "sent" else "failed")
    if status == "failed" and row["status"] == "sent":
        raise Rejection(409, "CONFLICT", "a sent message can only end undelivered")
    while status == "undelivered" and row["status"] != "sent":  # a carrier reports only what was sent
        _move(ctx.app, row, msgs.PATH[msgs.PATH.index(row["status"]) + 1])
        row = _control_row(ctx, row["sid"])
    return Reply(200, _move(ctx.app, row, status, int(body.get("error_code", 30003))))


def list_callbacks(ctx: Context, req: ValidRequest) -> Reply:
    """GET /sandbox/callbacks: every status callback queued or sent, oldest first."""
    return Reply(200, {"callbacks": callbacks.listing(ctx.store, req.query.get("MessageSid"))})


def configure_delivery(ctx: Context, req: ValidRequest) -> Reply:
    """PUT /sandbox/delivery: seconds of sandbox time between two states, and whether non-loopback receivers are
    called."""
    state = state_of(ctx.app)
    if "step_seconds" in req.body:
        state.step_seconds = float(req.body["step_seconds"])
    if "remote_callbacks" in req.body:
        state.remote_callbacks = bool(req.body["remote_callbacks"])
    return Reply(200, {"step_seconds": state.step_seconds, "remote_callbacks": state.remote_callbacks})


HANDLERS = {
    "CreateMessage": create_message,
    "FetchMessage": fetch_message,
    "ListMessage": list_messages,
    "FetchPhoneNumber": fetch_phone_number,
    "FetchPhoneNumberV1": fetch_phone_number_v1,
    "advanceMessage": advance_message,
    "failMessage": fail_message,
    "listCallbacks": list_callbacks,
    "configureDelivery": configure_delivery,
    **COMMON_HANDLERS,
}


def _wake(app: SandboxApp) -> None:
    event = state_of(app).wake
    if event is not None:
        event.set()


def _due(app: SandboxApp) -> None:
    """Move every message whose next step is due on the sandbox clock (one step per message per tick)."""
    rows = app.store.all("SELECT sid FROM twilio_messages WHERE next_at IS NOT NULL AND next_at <= ?", (app.now(),))
    for found in rows:
        row = msgs.load(app.store, found["sid"])
        status = msgs.next_status(row) if row is not None else None
        if row is not None and status is not None:
            _move(app, row, status)


async def run_clock(app: SandboxApp) -> None:
    """The sandbox's own life: messages move on the clock, and their callbacks are delivered, until cancelled."""
    state_of(app).wake = wake = asyncio.Event()
    async with httpx.AsyncClient(follow_redirects=False) as client:
        while True:
            try:
                _due(app)
                await callbacks.deliver_pending(
                    app.store, client, app.now(), state_of(app).remote_callbacks or app.allow_remote
                )
            except Exception:
                logger.exception("twilio sandbox clock failed")
            wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), TICK_SECONDS)


def _setup(store: Store) -> None:
    store.script(msgs.SCHEMA)


def _on_reset(app: SandboxApp) -> None:
    state_of(app).restore()


def build_twilio_app(
    *,
    db: str | None = None,
    account_sid: str | None = None,
    auth_token: str | None = None,
    api_keys: tuple[str, ...] = (),
) -> SandboxApp:
    """The Twilio sandbox app; with no credentials a test account is minted (`state_of(app).account_sid`,
    `.auth_token`, and `"AC...:token"` first in `app.api_keys`). `api_keys` adds API keys of the
    account as `"SK...:secret"`."""
    sid = account_sid or msgs.new_sid("AC")
    token = auth_token or os.urandom(16).hex()
    definition = ApiDefinition(
        name="twilio",
        spec=SpecIndex.load(spec_path("twilio")),
        control=control_index(CONTROL_SPEC),
        handlers=HANDLERS,
        check_credential=check_credential,
        error_body=error_body,
        setup=_setup,
        tables=msgs.TABLES,
        on_reset=_on_reset,
        background=run_clock,
        dashboard=twilio_panel,
    )
    app = SandboxApp(definition, db=db, api_keys=(f"{sid}:{token}", *api_keys))
    app.state = TwilioState(account_sid=sid, auth_token=token)
    return app
