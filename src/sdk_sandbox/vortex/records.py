"""The Vortex sandbox's invitation records: one builder, one store, one view, for every way an invitation is made.

An invitation is stored as its JSON body (camelCase, as the API returns it) beside index rows for its targets and
scopes. What depends on the clock (`expired`, from `expires`) is worked out when it is read, so moving the sandbox
clock forward expires invitations as time would.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from ..server import Context, Reply
from ..validation import Rejection
from .state import state_of

SCHEMA = """
CREATE TABLE IF NOT EXISTS invitations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS invitation_targets (
    invitation_id TEXT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE, type TEXT NOT NULL, value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS invitation_groups (
    invitation_id TEXT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
    group_type TEXT NOT NULL, group_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS autojoin_scopes (
    scope_type TEXT NOT NULL, scope TEXT NOT NULL,
    invitation_id TEXT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
    PRIMARY KEY (scope_type, scope)
);
CREATE TABLE IF NOT EXISTS autojoin_domains (
    id TEXT PRIMARY KEY, scope_type TEXT NOT NULL, scope TEXT NOT NULL, domain TEXT NOT NULL,
    UNIQUE (scope_type, scope, domain),
    FOREIGN KEY (scope_type, scope) REFERENCES autojoin_scopes(scope_type, scope) ON DELETE CASCADE
);
"""
TABLES = ("autojoin_domains", "autojoin_scopes", "invitation_groups", "invitation_targets", "invitations")


def stamp(seconds: float) -> str:
    """An ISO 8601 UTC timestamp with milliseconds, as Vortex writes them."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _moment(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def new_invitation(
    ctx: Context,
    *,
    targets: Sequence[Mapping[str, Any]],
    groups: Sequence[Mapping[str, Any]],
    creator_id: str,
    invitation_type: str = "single_use",
    status: str = "delivered",
    widget_configuration_id: str = "widget-sandbox",
    expires_in: int | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A new invitation's body. `groups` are `{type, groupId, name?}`; `fields` sets the optional members
    (`source`, `subtype`, `metadata`, `creatorName`, `creatorAvatarUrl`, `expired`, ...)."""
    now = ctx.clock()
    created = stamp(now)
    account = state_of(ctx.app).account_id
    scopes = [
        {"id": str(uuid.uuid4()), "accountId": account, "groupId": g["groupId"], "scopeId": g["groupId"],
         "type": g["type"], "name": g.get("name") or g["groupId"], "createdAt": created}
        for g in groups
    ]  # fmt: skip
    target_list = [{k: v for k, v in t.items() if v is not None} for t in targets]
    invitation: dict[str, Any] = {
        "id": str(uuid.uuid4()), "accountId": account, "clickThroughs": 0, "formSubmissionData": None,
        "configurationAttributes": None, "attributes": None, "createdAt": created, "deactivated": False,
        "deliveryCount": 1 if target_list else 0, "deliveryTypes": sorted({t["type"] for t in target_list}),
        "foreignCreatorId": creator_id, "invitationType": invitation_type, "modifiedAt": None, "status": status,
        "target": target_list, "views": 0, "widgetConfigurationId": widget_configuration_id,
        "deploymentId": "deployment-sandbox", "projectId": "project-sandbox", "groups": scopes, "scopes": scopes,
        "scope": scopes[0]["groupId"] if scopes else None, "scopeType": scopes[0]["type"] if scopes else None,
        "accepts": [], "expired": False, "expires": stamp(now + expires_in) if expires_in else None,
        "metadata": None, "passThrough": None, "source": None, "subtype": None, "creatorName": None,
        "creatorAvatarUrl": None,
    }  # fmt: skip
    invitation.update(fields)
    return invitation


def insert(ctx: Context, invitation: Mapping[str, Any]) -> None:
    """Store a new invitation and its index rows (inside the caller's transaction, if any)."""
    invitation_id = invitation["id"]
    ctx.store.execute("INSERT INTO invitations (id, body) VALUES (?, ?)", (invitation_id, json.dumps(invitation)))
    for target in invitation["target"]:
        ctx.store.execute(
            "INSERT INTO invitation_targets (invitation_id, type, value) VALUES (?, ?, ?)",
            (invitation_id, target["type"], target["value"]),
        )
    for group in invitation["groups"]:
        ctx.store.execute(
            "INSERT INTO invitation_groups (invitation_id, group_type, group_id) VALUES (?, ?, ?)",
            (invitation_id, group["type"], group["groupId"]),
        )


def present(ctx: Context, invitation: dict[str, Any]) -> dict[str, Any]:
    """The invitation as the API shows it now: `expired` once its `expires` has passed on the sandbox clock."""
    expires = invitation.get("expires")
    if expires and not invitation["expired"] and _moment(expires) <= ctx.clock():
        invitation = {**invitation, "expired": True}
    return invitation


def load(ctx: Context, invitation_id: str) -> dict[str, Any]:
    """The stored invitation (as shown now); 404 when there is none."""
    row = ctx.store.one("SELECT body FROM invitations WHERE id = ?", (invitation_id,))
    if row is None:
        raise Rejection(404, "NOT_FOUND", "Invitation not found")
    return present(ctx, json.loads(row["body"]))


def save(ctx: Context, invitation: Mapping[str, Any]) -> None:
    """Write an invitation's body back."""
    ctx.store.execute("UPDATE invitations SET body = ? WHERE id = ?", (json.dumps(invitation), invitation["id"]))


def listing(ctx: Context, sql: str, args: tuple[Any, ...]) -> Reply:
    """`{"invitations": [...]}` for the invitation ids `sql` selects, oldest first."""
    rows = ctx.store.all(
        f"SELECT body FROM invitations WHERE id IN ({sql}) ORDER BY seq",  # noqa: S608  (fixed SQL, bound args)
        args,
    )
    return Reply(200, {"invitations": [present(ctx, json.loads(row["body"])) for row in rows]})
