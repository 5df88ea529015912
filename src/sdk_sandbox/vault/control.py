"""The Vault sandbox's control endpoints (`/sandbox/...` of vault/control.yaml): mint tokens, list, rotate and retire
signing keys."""

from __future__ import annotations

from ..control import COMMON_HANDLERS
from ..server import Context, Handler, Reply
from ..validation import Rejection, ValidRequest
from . import handlers
from .state import state_of


def mint_token(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/tokens: open a session for the user and sign a token for it."""
    body = req.body
    user = ctx.store.one("SELECT * FROM users WHERE id = ?", (body["user_id"],))
    if user is None:
        raise handlers.not_found("user", body["user_id"])
    org_id, role = body.get("org_id"), None
    if org_id is not None:
        membership = ctx.store.one(
            "SELECT role FROM memberships WHERE organization_id = ? AND user_id = ?", (org_id, user["id"])
        )
        if membership is None:
            raise handlers.not_found("membership", f"{org_id}/{user['id']}")
        role = membership["role"]
    now = ctx.clock()
    expires_in = body.get("expires_in", 3600)
    session_id = handlers.new_id("session")
    token, kid, alg = state_of(ctx.app).tokens.mint(
        subject=user, session_id=session_id, now=now, expires_in=expires_in, alg=body.get("alg"),
        kid=body.get("kid"), org_id=org_id, org_role=role, extra=body.get("claims"),
    )  # fmt: skip
    ctx.store.execute(
        "INSERT INTO sessions (id, user_id, ip_address, user_agent, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        (session_id, user["id"], "127.0.0.1", "vault-sandbox", handlers.timestamp(now),
         handlers.timestamp(now + max(expires_in, 0))),
    )  # fmt: skip
    payload = {"token": token, "kid": kid, "alg": alg, "session_id": session_id, "expires_at": int(now) + expires_in}
    return Reply(201, payload)


def list_signing_keys(ctx: Context, req: ValidRequest) -> Reply:
    """GET /sandbox/keys."""
    keys = state_of(ctx.app).keys.keys
    return Reply(200, {"keys": [{"kid": k.kid, "alg": k.alg, "active": k.active} for k in keys]})


def rotate_signing_key(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/keys/rotate."""
    key = state_of(ctx.app).keys.rotate((req.body or {}).get("alg", "RS256"))
    return Reply(201, {"kid": key.kid, "alg": key.alg, "active": True})


def retire_signing_key(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/keys/{kid}/retire."""
    key = state_of(ctx.app).keys.retire(req.path["kid"])
    if key is None:
        raise Rejection(404, "NOT_FOUND", "No such key")
    return Reply(200, {"kid": key.kid, "alg": key.alg, "active": False})


CONTROL_HANDLERS: dict[str, Handler] = {
    "mintToken": mint_token,
    "listSigningKeys": list_signing_keys,
    "rotateSigningKey": rotate_signing_key,
    "retireSigningKey": retire_signing_key,
    **COMMON_HANDLERS,
}
