"""The Vortex sandbox's upstream API (openapi/vortex.yaml): invitations by target, scope and ID, acceptance,
revocation, reinvites, autojoin domains and internal invitations."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from ..server import Context, Reply
from ..validation import Rejection, ValidRequest
from .records import insert, listing, load, new_invitation, save, stamp

# The query's target kinds and the invitation target types each one finds.
TARGET_TYPES: dict[str, tuple[str, ...]] = {
    "email": ("email",),
    "phoneNumber": ("phone", "sms"),
    "username": ("internal", "share"),
}
SHORT_LINK = "https://sandbox.vortex.invalid/i/"
AUTOJOIN_CREATOR = "sandbox-autojoin"


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def get_invitations_by_target(ctx: Context, req: ValidRequest) -> Reply:
    """GET /invitations?targetType=&targetValue=; an email also finds the autojoin invitations of its domain."""
    types = TARGET_TYPES[req.query["targetType"]]
    value = req.query["targetValue"]
    marks = ", ".join("?" for _ in types)
    sql = f"SELECT invitation_id FROM invitation_targets WHERE value = ? AND type IN ({marks})"  # noqa: S608
    args: tuple[Any, ...] = (value, *types)
    if req.query["targetType"] == "email" and "@" in value:
        sql += (
            " UNION SELECT s.invitation_id FROM autojoin_scopes s JOIN autojoin_domains d"
            " ON d.scope_type = s.scope_type AND d.scope = s.scope WHERE d.domain = ?"
        )
        args = (*args, _domain(value))
    return listing(ctx, sql, args)


def get_invitation(ctx: Context, req: ValidRequest) -> Reply:
    """GET /invitations/{invitationId}."""
    return Reply(200, load(ctx, req.path["invitationId"]))


def revoke_invitation(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /invitations/{invitationId}: the invitation is gone."""
    if not ctx.store.execute("DELETE FROM invitations WHERE id = ?", (req.path["invitationId"],)):
        raise Rejection(404, "NOT_FOUND", "Invitation not found")
    return Reply(204)


def _acceptor(body: Mapping[str, Any]) -> dict[str, str]:
    """The acceptance's target: the seed-era `target` as sent, or the current `user`'s email (else phone)."""
    if "target" in body:
        return {"type": body["target"]["type"], "value": body["target"]["value"]}
    user = body["user"]
    return {"type": "email", "value": user["email"]} if "email" in user else {"type": "phone", "value": user["phone"]}


def _check_acceptable(ctx: Context, invitation: Mapping[str, Any], target: Mapping[str, str]) -> bool:
    """Refuse what cannot be accepted by `target`; False when it already was (single use, same target)."""
    if invitation["expired"] or invitation["deactivated"]:
        raise Rejection(409, "CONFLICT", f"Invitation {invitation['id']} can no longer be accepted")
    if invitation["invitationType"] == "autojoin":
        row = ctx.store.one(
            "SELECT 1 AS ok FROM autojoin_scopes s JOIN autojoin_domains d ON d.scope_type = s.scope_type"
            " AND d.scope = s.scope WHERE s.invitation_id = ? AND d.domain = ?",
            (invitation["id"], _domain(target["value"])),
        )
        if target["type"] != "email" or row is None:
            raise Rejection(403, "FORBIDDEN", "Email domain is not allowed to autojoin this scope")
    if invitation["invitationType"] == "single_use" and invitation.get("accepts"):
        if all(a["target"]["value"] != target["value"] for a in invitation["accepts"]):
            raise Rejection(409, "CONFLICT", f"Invitation {invitation['id']} was accepted by someone else")
        return False
    return True


def _record_acceptance(ctx: Context, invitation: dict[str, Any], target: Mapping[str, str], now: str) -> None:
    invitation["status"] = "accepted"
    invitation["modifiedAt"] = now
    acceptance = {
        "id": str(uuid.uuid4()),
        "accountId": invitation["accountId"],
        "projectId": invitation["projectId"],
        "acceptedAt": now,
        "target": dict(target),
    }
    invitation.setdefault("accepts", []).append(acceptance)
    save(ctx, invitation)


def accept_invitations(ctx: Context, req: ValidRequest) -> Reply:
    """POST /invitations/accept: all or nothing; expired, revoked or used single-use invitations are a 409,
    an email outside an autojoin invitation's domains a 403."""
    target = _acceptor(req.body)
    now = stamp(ctx.clock())
    with ctx.store.transaction():
        invitations = [load(ctx, invitation_id) for invitation_id in req.body["invitationIds"]]
        for invitation in invitations:
            if _check_acceptable(ctx, invitation, target):
                _record_acceptance(ctx, invitation, target, now)
    return Reply(200, {"invitations": invitations})


def reinvite(ctx: Context, req: ValidRequest) -> Reply:
    """POST /invitations/{invitationId}/reinvite: delivered once more, unless it was accepted or expired."""
    invitation = load(ctx, req.path["invitationId"])
    if invitation["status"] == "accepted" or invitation["expired"]:
        raise Rejection(409, "CONFLICT", "Invitation can no longer be re-sent")
    invitation.update(deliveryCount=invitation["deliveryCount"] + 1, status="delivered", modifiedAt=stamp(ctx.clock()))
    save(ctx, invitation)
    return Reply(200, invitation)


def _scope_of(req: ValidRequest) -> tuple[str, str]:
    path = req.path
    return (path["scopeType"], path["scope"]) if "scopeType" in path else (path["groupType"], path["groupId"])


def get_invitations_by_scope(ctx: Context, req: ValidRequest) -> Reply:
    """GET /invitations/by-scope/{scopeType}/{scope} (and the seed-era /by-group/{groupType}/{groupId})."""
    sql = "SELECT invitation_id FROM invitation_groups WHERE group_type = ? AND group_id = ?"
    return listing(ctx, sql, _scope_of(req))


def delete_invitations_by_scope(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /invitations/by-scope/{scopeType}/{scope} (and /by-group/...): the scope's invitations are gone."""
    ctx.store.execute(
        "DELETE FROM invitations WHERE id IN "
        "(SELECT invitation_id FROM invitation_groups WHERE group_type = ? AND group_id = ?)",
        _scope_of(req),
    )
    return Reply(204)


def create_invitation(ctx: Context, req: ValidRequest) -> Reply:
    """POST /invitations: an invitation made by the application's backend, delivered at once."""
    body = req.body
    inviter = body["inviter"]
    invitation = new_invitation(
        ctx, targets=[body["target"]], groups=body.get("groups", []), creator_id=inviter["userId"],
        widget_configuration_id=body["widgetConfigurationId"], source=body.get("source", "api"),
        subtype=body.get("subtype"), metadata=body.get("metadata"),
        creatorName=inviter.get("name") or inviter.get("userName"),
        creatorAvatarUrl=inviter.get("avatarUrl") or inviter.get("userAvatarUrl"),
    )  # fmt: skip
    with ctx.store.transaction():
        insert(ctx, invitation)
    answer = {"id": invitation["id"], "shortLink": SHORT_LINK + invitation["id"], "status": invitation["status"]}
    return Reply(201, {**answer, "createdAt": invitation["createdAt"]})


def _autojoin_answer(ctx: Context, scope_type: str, scope: str) -> Reply:
    domains = ctx.store.all(
        "SELECT id, domain FROM autojoin_domains WHERE scope_type = ? AND scope = ? ORDER BY domain",
        (scope_type, scope),
    )
    row = ctx.store.one(
        "SELECT invitation_id FROM autojoin_scopes WHERE scope_type = ? AND scope = ?", (scope_type, scope)
    )
    invitation = load(ctx, row["invitation_id"]) if row else None
    return Reply(200, {"autojoinDomains": domains, "invitation": invitation})


def get_autojoin_domains(ctx: Context, req: ValidRequest) -> Reply:
    """GET /invitations/by-scope/{scopeType}/{scope}/autojoin."""
    return _autojoin_answer(ctx, req.path["scopeType"], req.path["scope"])


def configure_autojoin(ctx: Context, req: ValidRequest) -> Reply:
    """POST /invitations/autojoin: the scope's domains become exactly `domains`; none deactivates its invitation."""
    body = req.body
    scope_type, scope = body["scopeType"], body["scope"]
    domains = sorted({d.lower() for d in body["domains"]})
    with ctx.store.transaction():
        row = ctx.store.one(
            "SELECT invitation_id FROM autojoin_scopes WHERE scope_type = ? AND scope = ?", (scope_type, scope)
        )
        if row is None:
            invitation = new_invitation(
                ctx, targets=[], groups=[{"type": scope_type, "groupId": scope, "name": body.get("scopeName")}],
                creator_id=AUTOJOIN_CREATOR, invitation_type="autojoin", widget_configuration_id=body["componentId"],
                source="autojoin", metadata=body.get("metadata"),
            )  # fmt: skip
            insert(ctx, invitation)
            ctx.store.execute(
                "INSERT INTO autojoin_scopes (scope_type, scope, invitation_id) VALUES (?, ?, ?)",
                (scope_type, scope, invitation["id"]),
            )
        else:
            invitation = load(ctx, row["invitation_id"])
            invitation["modifiedAt"] = stamp(ctx.clock())
            if "metadata" in body:
                invitation["metadata"] = body["metadata"]
        invitation["deactivated"] = not domains
        save(ctx, invitation)
        marks = ", ".join("?" for _ in domains)
        ctx.store.execute(
            f"DELETE FROM autojoin_domains WHERE scope_type = ? AND scope = ? AND domain NOT IN ({marks})",  # noqa: S608
            (scope_type, scope, *domains),
        )
        for domain in domains:
            ctx.store.execute(
                "INSERT OR IGNORE INTO autojoin_domains (id, scope_type, scope, domain) VALUES (?, ?, ?, ?)",
                (str(uuid.uuid4()), scope_type, scope, domain),
            )
    return _autojoin_answer(ctx, scope_type, scope)


def sync_internal_invitation(ctx: Context, req: ValidRequest) -> Reply:
    """POST /invitations/sync-internal-invitation: the creator's open internal invitations to the target are
    accepted (or, for `declined`, deactivated)."""
    body = req.body
    target = {"type": "internal", "value": body["targetValue"]}
    now = stamp(ctx.clock())
    processed: list[str] = []
    with ctx.store.transaction():
        rows = ctx.store.all(
            "SELECT invitation_id FROM invitation_targets WHERE type = 'internal' AND value = ?", (target["value"],)
        )
        for row in rows:
            invitation = load(ctx, row["invitation_id"])
            open_ = not (invitation["deactivated"] or invitation["expired"] or invitation["status"] == "accepted")
            if invitation["foreignCreatorId"] != body["creatorId"] or not open_:
                continue
            if body["action"] == "accepted":
                _record_acceptance(ctx, invitation, target, now)
            else:
                invitation.update(deactivated=True, modifiedAt=now)
                save(ctx, invitation)
            processed.append(invitation["id"])
    return Reply(200, {"processed": len(processed), "invitationIds": processed})
