"""The Vortex sandbox: `build_vortex_app()` serves openapi/vortex.yaml plus its control endpoints, over SQLite."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..control import COMMON_HANDLERS, control_index
from ..server import ApiDefinition, Context, Reply, SandboxApp
from ..spec import SpecIndex
from ..specs import spec_path
from ..state import Store
from ..validation import Rejection, ValidRequest
from .credentials import InvalidApiKey, InvalidJwt, new_api_key, parse_api_key, verify_jwt

CONTROL_SPEC = Path(__file__).with_name("control.yaml")
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
"""
TABLES = ("invitation_groups", "invitation_targets", "invitations")
# The query's target kinds and the invitation target types each one finds.
TARGET_TYPES = {"email": ("email",), "phoneNumber": ("phone", "sms"), "username": ("internal", "share")}


def error_body(status: int, code: str, message: str, fields: Mapping[str, list[str]]) -> dict[str, Any]:
    """Vortex's flat `{"error": "..."}` shape; field problems are folded into the message."""
    if fields:
        message = f"{message}: " + "; ".join(f"{name} {', '.join(msgs)}" for name, msgs in fields.items())
    return {"error": message}


def check_credential(app: SandboxApp, credential: str) -> bool:
    """Accept the configured keys, which are well-formed VRTX keys."""
    return credential in app.api_keys


def _stamp(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _load(ctx: Context, invitation_id: str) -> dict[str, Any]:
    row = ctx.store.one("SELECT body FROM invitations WHERE id = ?", (invitation_id,))
    if row is None:
        raise Rejection(404, "NOT_FOUND", "Invitation not found")
    invitation: dict[str, Any] = json.loads(row["body"])
    return invitation


def _save(ctx: Context, invitation: dict[str, Any]) -> None:
    ctx.store.execute("UPDATE invitations SET body = ? WHERE id = ?", (json.dumps(invitation), invitation["id"]))


def _listing(ctx: Context, sql: str, args: tuple[Any, ...]) -> Reply:
    rows = ctx.store.all(
        f"SELECT body FROM invitations WHERE id IN ({sql}) ORDER BY seq",  # noqa: S608  (fixed SQL, bound args)
        args,
    )
    return Reply(200, {"invitations": [json.loads(row["body"]) for row in rows]})


def get_invitations_by_target(ctx: Context, req: ValidRequest) -> Reply:
    """GET /invitations?targetType=&targetValue=."""
    types = TARGET_TYPES[req.query["targetType"]]
    marks = ", ".join("?" for _ in types)
    sql = f"SELECT invitation_id FROM invitation_targets WHERE value = ? AND type IN ({marks})"  # noqa: S608
    return _listing(ctx, sql, (req.query["targetValue"], *types))


def get_invitation(ctx: Context, req: ValidRequest) -> Reply:
    """GET /invitations/{invitationId}."""
    return Reply(200, _load(ctx, req.path["invitationId"]))


def revoke_invitation(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /invitations/{invitationId}: the invitation is gone."""
    if not ctx.store.execute("DELETE FROM invitations WHERE id = ?", (req.path["invitationId"],)):
        raise Rejection(404, "NOT_FOUND", "Invitation not found")
    return Reply(204)


def accept_invitations(ctx: Context, req: ValidRequest) -> Reply:
    """POST /invitations/accept: all or nothing; a revoked, expired or used single-use invitation is a 409."""
    target = req.body["target"]
    now = _stamp(ctx.clock())
    with ctx.store.transaction():
        invitations = [_load(ctx, invitation_id) for invitation_id in req.body["invitationIds"]]
        for invitation in invitations:
            if invitation["expired"] or invitation["deactivated"]:
                raise Rejection(409, "CONFLICT", f"Invitation {invitation['id']} can no longer be accepted")
            if invitation["invitationType"] == "single_use" and invitation.get("accepts"):
                if all(a["target"]["value"] != target["value"] for a in invitation["accepts"]):
                    raise Rejection(409, "CONFLICT", f"Invitation {invitation['id']} was accepted by someone else")
                continue
            invitation["status"] = "accepted"
            invitation["modifiedAt"] = now
            acceptance = {
                "id": str(uuid.uuid4()),
                "accountId": invitation["accountId"],
                "projectId": invitation["projectId"],
                "acceptedAt": now,
                "target": {"type": target["type"], "value": target["value"]},
            }
            invitation.setdefault("accepts", []).append(acceptance)
            _save(ctx, invitation)
    return Reply(200, {"invitations": invitations})


def reinvite(ctx: Context, req: ValidRequest) -> Reply:
    """POST /invitations/{invitationId}/reinvite: delivered once more, unless it was accepted or expired."""
    invitation = _load(ctx, req.path["invitationId"])
    if invitation["status"] == "accepted" or invitation["expired"]:
        raise Rejection(409, "CONFLICT", "Invitation can no longer be re-sent")
    invitation.update(deliveryCount=invitation["deliveryCount"] + 1, status="delivered", modifiedAt=_stamp(ctx.clock()))
    _save(ctx, invitation)
    return Reply(200, invitation)


def get_invitations_by_group(ctx: Context, req: ValidRequest) -> Reply:
    """GET /invitations/by-group/{groupType}/{groupId}."""
    sql = "SELECT invitation_id FROM invitation_groups WHERE group_type = ? AND group_id = ?"
    return _listing(ctx, sql, (req.path["groupType"], req.path["groupId"]))


def delete_invitations_by_group(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /invitations/by-group/{groupType}/{groupId}."""
    ctx.store.execute(
        "DELETE FROM invitations WHERE id IN "
        "(SELECT invitation_id FROM invitation_groups WHERE group_type = ? AND group_id = ?)",
        (req.path["groupType"], req.path["groupId"]),
    )
    return Reply(204)


def create_invitation(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/invitations."""
    body = req.body
    now = _stamp(ctx.clock())
    account = ctx.app.extra["account_id"]
    invitation_id = str(uuid.uuid4())
    target = {"type": body["target"]["type"], "value": body["target"]["value"], "name": body["target"].get("name")}
    groups = [
        {"id": str(uuid.uuid4()), "accountId": account, "groupId": g["groupId"], "type": g["type"],
         "name": g.get("name", g["groupId"]), "createdAt": now}
        for g in body.get("groups", [])
    ]  # fmt: skip
    invitation = {
        "id": invitation_id, "accountId": account, "clickThroughs": 0, "configurationAttributes": None,
        "attributes": None, "createdAt": now, "deactivated": False, "deliveryCount": 1,
        "deliveryTypes": [target["type"]], "foreignCreatorId": body.get("creatorId", "sandbox-user"),
        "invitationType": body.get("invitationType", "single_use"), "modifiedAt": None,
        "status": body.get("status", "delivered"), "target": [target], "views": 0,
        "widgetConfigurationId": "widget-sandbox", "deploymentId": "deployment-sandbox",
        "projectId": "project-sandbox", "groups": groups, "accepts": [], "expired": bool(body.get("expired", False)),
    }  # fmt: skip
    with ctx.store.transaction():
        ctx.store.execute("INSERT INTO invitations (id, body) VALUES (?, ?)", (invitation_id, json.dumps(invitation)))
        ctx.store.execute(
            "INSERT INTO invitation_targets (invitation_id, type, value) VALUES (?, ?, ?)",
            (invitation_id, target["type"], target["value"]),
        )
        for group in groups:
            ctx.store.execute(
                "INSERT INTO invitation_groups (invitation_id, group_type, group_id) VALUES (?, ?, ?)",
                (invitation_id, group["type"], group["groupId"]),
            )
    return Reply(201, invitation)


def verify_generated_jwt(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/jwt/verify."""
    keys = [parse_api_key(key) for key in sorted(ctx.app.api_keys)]
    try:
        header, payload = verify_jwt(req.body["token"], keys, ctx.clock())
    except InvalidJwt as exc:
        raise Rejection(401, "INVALID_JWT", f"JWT does not verify: {exc}") from None
    return Reply(200, {"valid": True, "header": header, "payload": payload})


HANDLERS = {
    "getInvitationsByTarget": get_invitations_by_target,
    "getInvitation": get_invitation,
    "revokeInvitation": revoke_invitation,
    "acceptInvitations": accept_invitations,
    "reinvite": reinvite,
    "getInvitationsByGroup": get_invitations_by_group,
    "deleteInvitationsByGroup": delete_invitations_by_group,
    "createInvitation": create_invitation,
    "verifyJwt": verify_generated_jwt,
    **COMMON_HANDLERS,
}


def _setup(store: Store) -> None:
    store.script(SCHEMA)


def build_vortex_app(*, db: str | None = None, api_keys: tuple[str, ...] | None = None) -> SandboxApp:
    """The Vortex sandbox app; with no `api_keys`, one is minted (read it from `app.api_keys`).

    Raises `ValueError` if a given key is not in the `VRTX.<encodedId>.<key>` format.
    """
    keys = api_keys or (new_api_key(),)
    for key in keys:
        try:
            parse_api_key(key)
        except InvalidApiKey as exc:
            raise ValueError(f"sandbox API key is malformed: {exc}") from None
    definition = ApiDefinition(
        name="vortex",
        spec=SpecIndex.load(spec_path("vortex")),
        control=control_index(CONTROL_SPEC),
        handlers=HANDLERS,
        check_credential=check_credential,
        error_body=error_body,
        setup=_setup,
        tables=TABLES,
    )
    app = SandboxApp(definition, db=db, api_keys=keys)
    app.extra["account_id"] = "account-sandbox"
    return app
