"""The Vault sandbox on the dashboard: users, organizations with their members, sessions."""

from __future__ import annotations

from typing import Any

from ..panel import ROW_LIMIT, Panel, Section
from ..server import SandboxApp
from .handlers import timestamp


def vault_panel(app: SandboxApp) -> Panel:
    """Users, organizations, memberships and sessions, newest first (never a password hash or a token)."""
    store = app.store
    now = timestamp(app.now())
    users = [
        (u["email"], " ".join(filter(None, (u["first_name"], u["last_name"]))) or None, u["status"],
         bool(u["email_verified"]), u["created_at"], u["last_login_at"], u["id"])
        for u in store.all("SELECT * FROM users ORDER BY seq DESC LIMIT ?", (ROW_LIMIT,))
    ]  # fmt: skip
    organizations = [
        (o["name"], o["slug"], o["status"], o["members"], o["created_at"], o["id"])
        for o in store.all(
            "SELECT o.*, (SELECT COUNT(*) FROM memberships m WHERE m.organization_id = o.id) AS members "
            "FROM organizations o ORDER BY o.seq DESC LIMIT ?",
            (ROW_LIMIT,),
        )
    ]
    memberships = [
        (m["org_name"], m["email"], m["role"], m["joined_at"])
        for m in store.all(
            "SELECT o.name AS org_name, u.email, m.role, m.joined_at FROM memberships m "
            "JOIN organizations o ON o.id = m.organization_id JOIN users u ON u.id = m.user_id "
            "ORDER BY m.seq DESC LIMIT ?",
            (ROW_LIMIT,),
        )
    ]
    sessions = [
        (s["email"], _session_state(s, now), s["ip_address"], s["user_agent"], s["created_at"],
         s["expires_at"], s["last_used_at"], s["id"])
        for s in store.all(
            "SELECT s.*, u.email FROM sessions s JOIN users u ON u.id = s.user_id ORDER BY s.seq DESC LIMIT ?",
            (ROW_LIMIT,),
        )
    ]  # fmt: skip
    return Panel(
        "Vault",
        [
            Section("Users", ("E-mail", "Name", "Status", "Verified", "Created", "Last login", "Id"), users),
            Section("Organizations", ("Name", "Slug", "Status", "Members", "Created", "Id"), organizations),
            Section("Memberships", ("Organization", "User", "Role", "Joined"), memberships),
            Section(
                "Sessions", ("User", "State", "IP", "User agent", "Created", "Expires", "Last used", "Id"), sessions
            ),
        ],
    )


def _session_state(session: dict[str, Any], now: str) -> str:
    if session["revoked_at"]:
        return "revoked"
    return "expired" if session["expires_at"] <= now else "active"
