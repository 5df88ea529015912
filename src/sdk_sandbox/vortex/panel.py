"""The Vortex sandbox on the dashboard: invitations with their status, targets and groups."""

from __future__ import annotations

import json

from ..panel import ROW_LIMIT, Panel, Section
from ..server import Context, SandboxApp
from .records import present


def vortex_panel(app: SandboxApp) -> Panel:
    """Every invitation, newest first, as the API would show it now (`expired` on the sandbox clock)."""
    context = Context(app.store, app.now, None, app)
    rows = app.store.all("SELECT body FROM invitations ORDER BY seq DESC LIMIT ?", (ROW_LIMIT,))
    invitations = []
    for row in rows:
        i = present(context, json.loads(row["body"]))
        status = i["status"] + (" (expired)" if i["expired"] else "") + (" (deactivated)" if i["deactivated"] else "")
        targets = ", ".join(f"{t['type']}:{t['value']}" for t in i["target"]) or None
        groups = ", ".join(f"{g['type']}:{g['groupId']}" for g in i["groups"]) or None
        invitations.append(
            (i["id"], status, i["invitationType"], targets, groups, i["foreignCreatorId"], len(i.get("accepts") or []),
             i["createdAt"], i["expires"])
        )  # fmt: skip
    domains = [
        (d["scope_type"], d["scope"], d["domain"], d["invitation_id"])
        for d in app.store.all(
            "SELECT d.scope_type, d.scope, d.domain, s.invitation_id FROM autojoin_domains d "
            "JOIN autojoin_scopes s ON s.scope_type = d.scope_type AND s.scope = d.scope ORDER BY d.rowid DESC LIMIT ?",
            (ROW_LIMIT,),
        )
    ]
    columns = ("Id", "Status", "Type", "Targets", "Groups", "Creator", "Accepts", "Created", "Expires")
    return Panel(
        "Vortex",
        [
            Section("Invitations", columns, invitations),
            Section("Autojoin domains", ("Scope type", "Scope", "Domain", "Invitation"), domains),
        ],
    )
