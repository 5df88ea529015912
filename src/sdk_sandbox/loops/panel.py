"""The Loops sandbox on the dashboard: outbox, events, templates, webhook deliveries (with replay), contacts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..panel import ROW_LIMIT, ActionError, Button, Panel, Section, compact, moment
from ..server import SandboxApp
from . import webhooks
from .state import state_of


def _bodies(app: SandboxApp, table: str) -> list[dict[str, Any]]:
    rows = app.store.all(f"SELECT body FROM {table} ORDER BY seq DESC LIMIT ?", (ROW_LIMIT,))  # noqa: S608
    return [json.loads(row["body"]) for row in rows]


def loops_panel(app: SandboxApp) -> Panel:
    """The newest e-mail, events, deliveries and contacts first; templates in publishing order."""
    outbox = [
        (moment(e["timestamp"]), e["transactionalId"], e["email"], e["subject"], compact(e["dataVariables"]),
         ", ".join(a["filename"] for a in e["attachments"]) or None, e["id"])
        for e in _bodies(app, "outbox")
    ]  # fmt: skip
    events = [
        (moment(e["timestamp"]), e["eventName"], e["email"], e["userId"], compact(e["eventProperties"]))
        for e in _bodies(app, "events")
    ]
    templates = [
        (t["id"], t["name"], t["subject"], ", ".join(json.loads(t["data_variables"])) or None, t["last_updated"])
        for t in app.store.all("SELECT * FROM templates ORDER BY seq LIMIT ?", (ROW_LIMIT,))
    ]
    config = state_of(app).webhooks.config
    deliveries = [
        (moment(d["timestamp"]), d["eventName"], d["eventId"], d["attempt"], d["status"], d["error"], d["url"],
         Button("Replay", "replay_delivery", {"eventId": d["eventId"]}))
        for d in reversed(webhooks.list_deliveries(app.store)[-ROW_LIMIT:])
    ]  # fmt: skip
    contacts = [
        (c["email"], c.get("firstName"), c.get("lastName"), c.get("userId"), c.get("subscribed"), c["id"])
        for c in _bodies(app, "contacts")
    ]
    endpoint = f"Delivered to {config.url}" if config else "No webhook endpoint is registered (PUT /sandbox/webhook)."
    return Panel(
        "Loops",
        [
            Section("Outbox", ("Sent", "Template", "To", "Subject", "Variables", "Attachments", "Id"), outbox,
                    "No e-mail sent yet."),
            Section("Events", ("Received", "Event", "E-mail", "User id", "Properties"), events),
            Section("Webhook deliveries", ("At", "Event", "Webhook id", "Attempt", "Status", "Error", "URL", ""),
                    deliveries, note=endpoint),
            Section("Transactional templates", ("Id", "Name", "Subject", "Variables", "Updated"), templates),
            Section("Contacts", ("E-mail", "First name", "Last name", "User id", "Subscribed", "Id"), contacts),
        ],
    )  # fmt: skip


def replay_delivery(app: SandboxApp, args: Mapping[str, Any]) -> dict[str, Any]:
    """Send the event `args["eventId"]` again to the registered endpoint (same webhook-id, new signature)."""
    event_id = args.get("eventId")
    deliverer = state_of(app).webhooks
    if not isinstance(event_id, str):
        raise ActionError("eventId is required")
    if deliverer.config is None:
        raise ActionError("No webhook endpoint is registered.")
    if not deliverer.replay(event_id):
        raise ActionError(f"No webhook event {event_id}.")
    return {"eventId": event_id, "queued": True}


ACTIONS = {"replay_delivery": replay_delivery}
