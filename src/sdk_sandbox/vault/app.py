"""The Vault sandbox: `build_vault_app()` returns an ASGI app serving openapi/vault.yaml plus its control endpoints."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..control import COMMON_HANDLERS, control_index
from ..server import ApiDefinition, Context, Reply, SandboxApp
from ..spec import SpecIndex
from ..specs import spec_path
from ..state import Store
from ..validation import Rejection, ValidRequest
from . import handlers
from .keys import ALGORITHMS
from .panel import vault_panel
from .state import VaultState, state_of

CONTROL_SPEC = Path(__file__).with_name("control.yaml")


def error_body(status: int, code: str, message: str, fields: Mapping[str, list[str]]) -> dict[str, Any]:
    """Vault's nested error shape; validation failures carry `details.fields`, 404s name the resource."""
    error: dict[str, Any] = {"code": code, "message": message}
    if status == 404 and "resource_type" in fields:
        error["details"] = {"resource_type": fields["resource_type"][0], "resource_id": fields["resource_id"][0]}
    elif fields:
        error["details"] = {"fields": dict(fields)}
    return {"error": error}


def check_credential(app: SandboxApp, credential: str) -> bool:
    """Accept the configured M2M keys (all start with `vault_m2m_`)."""
    return credential.startswith("vault_m2m_") and credential in app.api_keys


def new_api_key() -> str:
    """A ready-to-use key in the server's format, `vault_m2m_<tenant>_<random>`."""
    return f"vault_m2m_sandbox_{secrets.token_hex(16)}"


# Control endpoints ---------------------------------------------------------------------------------------------


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


def restore_keys(app: SandboxApp) -> None:
    """On reset, back to the first signing keys."""
    state_of(app).keys.restore()


CONTROL_HANDLERS = {
    "mintToken": mint_token,
    "listSigningKeys": list_signing_keys,
    "rotateSigningKey": rotate_signing_key,
    "retireSigningKey": retire_signing_key,
    **COMMON_HANDLERS,
}


def _setup(store: Store) -> None:
    store.script(handlers.SCHEMA)


def build_vault_app(*, db: str | None = None, api_keys: tuple[str, ...] | None = None) -> SandboxApp:
    """The Vault sandbox app; with no `api_keys`, one is minted (read it from `app.api_keys`)."""
    definition = ApiDefinition(
        name="vault",
        spec=SpecIndex.load(spec_path("vault")),
        control=control_index(CONTROL_SPEC),
        handlers={**handlers.HANDLERS, **CONTROL_HANDLERS},
        check_credential=check_credential,
        error_body=error_body,
        setup=_setup,
        tables=handlers.TABLES,
        on_reset=restore_keys,
        request_id_header="X-Request-ID",
        dashboard=vault_panel,
    )
    app = SandboxApp(definition, db=db, api_keys=api_keys or (new_api_key(),))
    app.state = VaultState.new()
    return app


__all__ = ["ALGORITHMS", "build_vault_app", "new_api_key"]
