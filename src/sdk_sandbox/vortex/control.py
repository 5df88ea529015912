"""The Vortex sandbox's control endpoints (`/sandbox/...` of vortex/control.yaml): add invitations, check a
generated JWT."""

from __future__ import annotations

from ..server import Context, Reply
from ..validation import Rejection, ValidRequest
from .credentials import InvalidJwt, parse_api_key, verify_jwt
from .records import insert, new_invitation, present


def sandbox_create_invitation(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/invitations."""
    body = req.body
    target = {"type": body["target"]["type"], "value": body["target"]["value"], "name": body["target"].get("name")}
    invitation = new_invitation(
        ctx, targets=[target], groups=body.get("groups", []), creator_id=body.get("creatorId", "sandbox-user"),
        invitation_type=body.get("invitationType", "single_use"), status=body.get("status", "delivered"),
        expires_in=body.get("expiresIn"), expired=bool(body.get("expired", False)),
    )  # fmt: skip
    with ctx.store.transaction():
        insert(ctx, invitation)
    return Reply(201, present(ctx, invitation))


def verify_generated_jwt(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/jwt/verify."""
    keys = [parse_api_key(key) for key in sorted(ctx.app.api_keys)]
    try:
        header, payload = verify_jwt(req.body["token"], keys, ctx.clock())
    except InvalidJwt as exc:
        raise Rejection(401, "INVALID_JWT", f"JWT does not verify: {exc}") from None
    return Reply(200, {"valid": True, "header": header, "payload": payload})
