"""The Loops sandbox: `build_loops_app()` serves openapi/loops.yaml plus its control endpoints, over SQLite.

Loops' wire rules it keeps: Bearer API keys (401 `{success: false, error: "Invalid API key"}`), bodies
`{success: false, message}` for every other failure, 405 without a body, 10 requests per second with
`x-ratelimit-limit` / `x-ratelimit-remaining` on every response (429 beyond), and an `Idempotency-Key` that answers
409 on its second use whatever the body. Transactional sends land in an outbox and fire signed webhooks.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..control import COMMON_HANDLERS, control_index
from ..server import Admission, ApiDefinition, Context, Reply, SandboxApp
from ..spec import SpecIndex
from ..specs import spec_path
from ..state import Store
from ..validation import Rejection, ValidRequest
from . import handlers, panel, webhooks
from .handlers import failure
from .state import LoopsState, state_of

CONTROL_SPEC = Path(__file__).with_name("control.yaml")
MAX_BODY_BYTES = 12 * 1024 * 1024  # 7 MB of attachments, base64-encoded, plus the rest of the request


def error_body(status: int, code: str, message: str, fields: Mapping[str, list[str]]) -> dict[str, Any] | None:
    """Loops' shapes: 401 `{success, error}`, 405 no body, else `{success, message}` (field problems folded in)."""
    if status == 401:
        return {"success": False, "error": "Invalid API key"}
    if status == 405:
        return None
    if fields:
        message = f"{message}: " + "; ".join(f"{name} {', '.join(msgs)}" for name, msgs in fields.items())
    return {"success": False, "message": message}


def check_credential(app: SandboxApp, credential: str) -> bool:
    """Accept the configured keys."""
    return credential in app.api_keys


def new_api_key() -> str:
    """A key shaped like Loops' (32 hex characters)."""
    return secrets.token_hex(16)


def admit(app: SandboxApp) -> Admission:
    """The API's rate limit, applied to every upstream request."""
    return state_of(app).rate_limit.admit()


# Control endpoints ---------------------------------------------------------------------------------------------


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


CONTROL_HANDLERS = {
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


def _setup(store: Store) -> None:
    store.script(handlers.SCHEMA)


def restore_defaults(app: SandboxApp) -> None:
    """Boot state: the default team, attachments off, 10 requests/s, no recipient outcomes, no webhook endpoint."""
    state_of(app).restore()


def build_loops_app(*, db: str | None = None, api_keys: tuple[str, ...] | None = None) -> SandboxApp:
    """The Loops sandbox app; with no `api_keys`, one is minted (read it from `app.api_keys`)."""
    definition = ApiDefinition(
        name="loops",
        spec=SpecIndex.load(spec_path("loops")),
        control=control_index(CONTROL_SPEC),
        handlers={**handlers.HANDLERS, **CONTROL_HANDLERS},
        check_credential=check_credential,
        error_body=error_body,
        setup=_setup,
        tables=handlers.TABLES,
        on_reset=restore_defaults,
        idempotency="conflict",
        max_body_bytes=MAX_BODY_BYTES,
        admit=admit,
        dashboard=panel.loops_panel,
        actions=panel.ACTIONS,
        on_close=lambda app: state_of(app).webhooks.stop(),
    )
    app = SandboxApp(definition, db=db, api_keys=api_keys or (new_api_key(),))
    app.state = LoopsState(webhooks=webhooks.Deliverer(app.store, app.now, lambda: app.allow_remote))
    return app
