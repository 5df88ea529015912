"""The Twilio sandbox on the dashboard: messages with their states, and the status callbacks sent for them."""

from __future__ import annotations

import json

from ..panel import ROW_LIMIT, Panel, Section, moment
from ..server import SandboxApp


def twilio_panel(app: SandboxApp) -> Panel:
    """Messages and status callbacks, newest first."""
    messages = []
    for row in app.store.all("SELECT * FROM twilio_messages ORDER BY seq DESC LIMIT ?", (ROW_LIMIT,)):
        data = json.loads(row["data"])
        messages.append(
            (row["sid"], row["to_number"], row["from_number"], row["status"], data.get("error_code"),
             data.get("body"), moment(row["created"]))
        )  # fmt: skip
    callbacks = [
        (c["message_sid"], c["status"], c["url"], c["state"], c["attempts"], c["response_status"])
        for c in app.store.all("SELECT * FROM twilio_callbacks ORDER BY seq DESC LIMIT ?", (ROW_LIMIT,))
    ]
    return Panel(
        "Twilio",
        [
            Section("Messages", ("Sid", "To", "From", "Status", "Error", "Body", "Created"), messages),
            Section("Status callbacks", ("Message", "Status", "URL", "State", "Attempts", "Answer"), callbacks),
        ],
    )
