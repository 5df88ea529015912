"""The Loops sandbox's control endpoints (`/sandbox/...` of loops/control.yaml): templates, lists, the outbox,
events, the account, the rate limit, recipient outcomes and the webhook endpoint."""

from __future__ import annotations

import json
import time
import uuid

from ..control import COMMON_HANDLERS
from ..server import Context, Handler, Reply
from ..validation import Rejection, ValidRequest
from . import handlers, webhooks
from .handlers import failure
from .state import state_of


def create_transactional(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/transactional: a published template and the data variables it requires."""
    body = req.body
    template_id = body.get("id") or f"cm{uuid.uuid4().hex[:23]}"
    variables = body.get("dataVariables", [])
    subject = body.get("subject", body["name"])
    text = body.get("body", "\n".join(f"{name}: {{{{{name}}}}}" for name in variables))
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(ctx.clock()))
    if ctx.store.one("SELECT 1 FROM templates WHERE id = ?", (template_id,)):
        return failure(409, f"A transactional email with id {template_id} exists.")
    ctx.store.execute(
        "INSERT INTO templates (id, name, data_variables, subject, body, last_updated) VALUES (?, ?, ?, ?, ?, ?)",
        (template_id, body["name"], json.dumps(variables), subject, text, stamp),
    )
    row = ctx.store.one("SELECT * FROM templates WHERE id = ?", (template_id,))
    assert row is not None
    return Reply(201, handlers.template_record(row))


def create_mailing_list(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/lists: a mailing list contacts and events can subscribe to."""
    body = req.body
    list_id = body.get("id") or f"cl{uuid.uuid4().hex[:23]}"
    if ctx.store.one("SELECT 1 FROM mailing_lists WHERE id = ?", (list_id,)):
        return failure(409, f"A mailing list with id {list_id} exists.")
    ctx.store.execute(
        "INSERT INTO mailing_lists (id, name, description, is_public) VALUES (?, ?, ?, ?)",
        (list_id, body["name"], body.get("description"), int(body.get("isPublic", False))),
    )
    row = ctx.store.one("SELECT * FROM mailing_lists WHERE id = ?", (list_id,))
    assert row is not None
    return Reply(201, handlers.mailing_list(row))


def list_outbox(ctx: Context, req: ValidRequest) -> Reply:
    """GET /sandbox/outbox: every e-mail sent, oldest first."""
    rows = ctx.store.all("SELECT body FROM outbox ORDER BY seq")
    return Reply(200, {"emails": [json.loads(row["body"]) for row in rows]})


def clear_outbox(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /sandbox/outbox."""
    ctx.store.execute("DELETE FROM outbox")
    return Reply(204)


def list_events(ctx: Context, req: ValidRequest) -> Reply:
    """GET /sandbox/events: every event received, oldest first."""
    rows = ctx.store.all("SELECT body FROM events ORDER BY seq")
    return Reply(200, {"events": [json.loads(row["body"]) for row in rows]})


def update_account(ctx: Context, req: ValidRequest) -> Reply:
    """PUT /sandbox/account: the team name and whether attachments are enabled."""
    account = state_of(ctx.app).account
    account.update(req.body)
    return Reply(200, dict(account))


def set_rate_limit(ctx: Context, req: ValidRequest) -> Reply:
    """PUT /sandbox/rate-limit: requests per window, the window, or no limit at all."""
    limiter = state_of(ctx.app).rate_limit
    body = req.body
    limiter.configure(
        body.get("limit", limiter.limit), float(body.get("windowSeconds", limiter.window)),
        body.get("enabled", limiter.enabled),
    )  # fmt: skip
    return Reply(200, limiter.public())


def set_recipient_outcome(ctx: Context, req: ValidRequest) -> Reply:
    """PUT /sandbox/recipients: what happens to mail sent to one address from now on."""
    email, outcome = req.body["email"].lower(), req.body["outcome"]
    state_of(ctx.app).recipients[email] = outcome
    return Reply(200, {"email": email, "outcome": outcome})


def set_webhook(ctx: Context, req: ValidRequest) -> Reply:
    """PUT /sandbox/webhook: register the endpoint; the secret is minted unless one is given."""
    body = req.body
    secret = body.get("secret") or webhooks.new_secret()
    try:
        webhooks.secret_key(secret)
    except webhooks.InvalidSecret as exc:
        raise Rejection(400, "BAD_REQUEST", f"Invalid secret: {exc}") from None
    config = webhooks.WebhookConfig(
        url=body["url"], secret=secret, attempts=body.get("attempts", 3),
        backoff=float(body.get("backoffSeconds", 0.5)), timeout=float(body.get("timeoutSeconds", 5.0)),
    )  # fmt: skip
    handlers.deliverer(ctx).configure(config)
    return Reply(200, config.public())


def get_webhook(ctx: Context, req: ValidRequest) -> Reply:
    """GET /sandbox/webhook: the registered endpoint, 404 when none."""
    config = handlers.deliverer(ctx).config
    return Reply(200, config.public()) if config else failure(404, "No webhook endpoint is registered.")


def delete_webhook(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /sandbox/webhook: stop delivering (events already queued are still tried)."""
    handlers.deliverer(ctx).configure(None)
    return Reply(204)


def list_webhook_deliveries(ctx: Context, req: ValidRequest) -> Reply:
    """GET /sandbox/webhook/deliveries: every attempt, oldest first."""
    return Reply(200, {"deliveries": webhooks.list_deliveries(ctx.store)})


def send_webhook_event(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/webhook/send: deliver any event by name, like `stripe trigger`."""
    body = req.body
    fields = dict(body.get("fields", {}))
    if "email" in body:
        found = handlers.find_contacts(ctx, body["email"], None)
        contact = found[0] if found else None
        fields.setdefault(
            "contactIdentity",
            {"id": contact["id"] if contact else "", "email": body["email"], "userId": (contact or {}).get("userId")},
        )
    payload = webhooks.envelope(body["eventName"], int(ctx.clock()), **fields)
    event_id = handlers.deliverer(ctx).enqueue(payload)
    if event_id is None:
        return failure(409, "No webhook endpoint is registered.")
    return Reply(202, {"id": event_id, "eventName": body["eventName"], "payload": payload})


def sign_webhook_payload(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/webhook/sign: the body and headers a delivery of `payload` would have, without sending it."""
    config = handlers.deliverer(ctx).config
    secret = req.body.get("secret") or (config.secret if config else None)
    if secret is None:
        return failure(409, "No webhook endpoint is registered and no secret was given.")
    try:
        webhooks.secret_key(secret)
    except webhooks.InvalidSecret as exc:
        raise Rejection(400, "BAD_REQUEST", f"Invalid secret: {exc}") from None
    event_id, timestamp = webhooks.new_event_id(), int(ctx.clock())
    text = json.dumps(req.body["payload"], separators=(",", ":"))
    headers = webhooks.signed_headers(secret, event_id, timestamp, text)
    return Reply(200, {"id": event_id, "timestamp": timestamp, "body": text, "headers": headers})


CONTROL_HANDLERS: dict[str, Handler] = {
    "createTransactional": create_transactional,
    "createMailingList": create_mailing_list,
    "listOutbox": list_outbox,
    "clearOutbox": clear_outbox,
    "listEvents": list_events,
    "updateAccount": update_account,
    "setRateLimit": set_rate_limit,
    "setRecipientOutcome": set_recipient_outcome,
    "setWebhook": set_webhook,
    "getWebhook": get_webhook,
    "deleteWebhook": delete_webhook,
    "listWebhookDeliveries": list_webhook_deliveries,
    "sendWebhookEvent": send_webhook_event,
    "signWebhookPayload": sign_webhook_payload,
    **COMMON_HANDLERS,
}
