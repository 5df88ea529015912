"""The Stripe sandbox on the dashboard: customers, checkout sessions (with a Pay button), subscriptions, events and
webhook deliveries (with a Replay button)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..panel import ROW_LIMIT, ActionError, Button, Panel, Section, compact, moment
from ..server import Context, SandboxApp
from . import deliveries


def _objects(app: SandboxApp, kind: str) -> list[dict[str, Any]]:
    rows = app.store.all("SELECT body FROM objects WHERE kind = ? ORDER BY seq DESC LIMIT ?", (kind, ROW_LIMIT))
    return [json.loads(row["body"]) for row in rows]


def stripe_panel(app: SandboxApp) -> Panel:
    """What the Stripe sandbox holds, newest first."""
    customers = [(c["id"], c.get("email"), c.get("name"), moment(c.get("created"))) for c in _objects(app, "customer")]
    sessions = [
        (
            s["id"], s.get("mode"), s.get("status"), s.get("payment_status"), s.get("customer"),
            Button("Pay", "pay_checkout_session", {"id": s["id"]}) if s.get("status") == "open" else None,
        )
        for s in _objects(app, "checkout.session")
    ]  # fmt: skip
    subscriptions = [
        (
            s["id"],
            s.get("customer"),
            s.get("status"),
            s.get("cancel_at_period_end"),
            moment(s.get("current_period_end")),
        )
        for s in _objects(app, "subscription")
    ]
    events = [
        (e["id"], e["type"], moment(e.get("created")), Button("Replay", "replay_event", {"id": e["id"]}))
        for e in _objects(app, "event")
    ]
    sent = app.store.all(
        "SELECT event_id, url, status, attempts, last_status FROM deliveries ORDER BY seq DESC LIMIT ?", (ROW_LIMIT,)
    )
    return Panel(
        "Stripe",
        [
            Section("Customers", ("Id", "Email", "Name", "Created"), customers),
            Section("Checkout sessions", ("Id", "Mode", "Status", "Payment", "Customer", ""), sessions),
            Section(
                "Subscriptions", ("Id", "Customer", "Status", "Cancels at period end", "Period end"), subscriptions
            ),
            Section("Events", ("Id", "Type", "Created", ""), events),
            Section(
                "Webhook deliveries",
                ("Event", "URL", "Status", "Attempts", "Last answer"),
                [(d["event_id"], d["url"], d["status"], d["attempts"], compact(d["last_status"])) for d in sent],
            ),
        ],
    )


def pay_checkout_session(app: SandboxApp, args: Mapping[str, Any]) -> dict[str, Any]:
    """Pay an open checkout session with the test card, as the hosted page does, and deliver its events."""
    from .control import complete

    session_id = args.get("id")
    if not isinstance(session_id, str):
        raise ActionError("id is required")
    problem, events, redirect = complete(Context(app.store, app.now, None, app), session_id, "4242424242424242", None)
    if problem is not None:
        raise ActionError(str(problem.body["error"]["message"]))
    deliveries.enqueue(app, events.items)
    return {"redirect": redirect, "events": [e["type"] for e in events.items]}


def replay_event(app: SandboxApp, args: Mapping[str, Any]) -> dict[str, Any]:
    """Deliver an event again to every webhook endpoint (Stripe's dashboard "Resend")."""
    event_id = args.get("id")
    found = [e for e in _objects(app, "event") if e["id"] == event_id] if isinstance(event_id, str) else []
    if not found:
        raise ActionError("No such event.")
    deliveries.enqueue(app, found)
    return {"replayed": event_id}


ACTIONS = {"pay_checkout_session": pay_checkout_session, "replay_event": replay_event}
