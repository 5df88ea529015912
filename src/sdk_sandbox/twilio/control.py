"""The Twilio sandbox's control endpoints (`/sandbox/...` of twilio/control.yaml): move or fail a message,
list callbacks, set the delivery pace and retries."""

from __future__ import annotations

from typing import Any

from ..server import Context, Reply, SandboxApp
from ..validation import Rejection, ValidRequest
from . import callbacks, lifecycle
from . import messages as msgs
from .lifecycle import move_message
from .state import state_of


def control_row(ctx: Context, sid: str) -> dict[str, Any]:
    """The message a control call names, or its 404."""
    row = msgs.load(ctx.store, sid)
    if row is None:
        raise Rejection(404, "NOT_FOUND", "No such message")
    return row


def advance_message(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/messages/{Sid}/advance: the next state now, or every state up to `to` (a callback each)."""
    with state_of(ctx.app).lock:  # the delivery worker moves messages too
        data = _advance(ctx, req)
    lifecycle.wake(ctx.app)
    return Reply(200, data)


def _advance(ctx: Context, req: ValidRequest) -> dict[str, Any]:
    row = control_row(ctx, req.path["Sid"])
    target = (req.body or {}).get("to")
    if row["status"] in msgs.TERMINAL:
        raise Rejection(409, "CONFLICT", f"the message is already {row['status']}")
    if target is not None and target not in (*msgs.PATH, row["outcome"]):
        raise Rejection(409, "CONFLICT", f"this message ends {row['outcome']}; it never reaches {target}")
    data: dict[str, Any] = row["data"]
    while (status := msgs.next_status(row)) is not None:
        data = move_message(ctx.app, row, status)
        row = control_row(ctx, row["sid"])
        if target is None or status == target:
            break
    return data


def fail_message(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/messages/{Sid}/fail: `failed` (before `sent`) or `undelivered` (after), with an error code."""
    with state_of(ctx.app).lock:  # the delivery worker moves messages too
        data = _fail(ctx, req)
    lifecycle.wake(ctx.app)
    return Reply(200, data)


def _fail(ctx: Context, req: ValidRequest) -> dict[str, Any]:
    row = control_row(ctx, req.path["Sid"])
    body = req.body or {}
    if row["status"] in msgs.TERMINAL:
        raise Rejection(409, "CONFLICT", f"the message is already {row['status']}")
    status = body.get("status") or ("undelivered" if row["status"] == "sent" else "failed")
    if status == "failed" and row["status"] == "sent":
        raise Rejection(409, "CONFLICT", "a sent message can only end undelivered")
    while status == "undelivered" and row["status"] != "sent":  # a carrier reports only what was sent
        move_message(ctx.app, row, msgs.PATH[msgs.PATH.index(row["status"]) + 1])
        row = control_row(ctx, row["sid"])
    return move_message(ctx.app, row, status, int(body.get("error_code", 30003)))


def list_callbacks(ctx: Context, req: ValidRequest) -> Reply:
    """GET /sandbox/callbacks: every status callback queued or sent, oldest first."""
    return Reply(200, {"callbacks": callbacks.listing(ctx.store, req.query.get("MessageSid"))})


def configure_delivery(ctx: Context, req: ValidRequest) -> Reply:
    """PUT /sandbox/delivery: seconds of sandbox time between two states, whether non-loopback receivers are
    called, and the sandbox seconds before each retry of a failed callback."""
    state = state_of(ctx.app)
    if "step_seconds" in req.body:
        state.step_seconds = float(req.body["step_seconds"])
    if "remote_callbacks" in req.body:
        state.remote_callbacks = bool(req.body["remote_callbacks"])
    if "retry_delays" in req.body:
        state.retry_delays = [float(delay) for delay in req.body["retry_delays"]]
    return Reply(200, delivery_settings(ctx.app))


def delivery_settings(app: SandboxApp) -> dict[str, Any]:
    """The pace and reach of delivery, as `PUT /sandbox/delivery` answers it."""
    state = state_of(app)
    return {"step_seconds": state.step_seconds, "remote_callbacks": state.remote_callbacks,
            "retry_delays": list(state.retry_delays)}  # fmt: skip
