"""Seed 001's Flask and FastAPI integration examples, as written (only the key and Vault's URL come from the
sandbox: the key by substitution, the URL through `VAULT_BASE_URL`, which the integrations read when not passed)."""

from __future__ import annotations

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle

from .tokens import Tokens

FLASK_SEED = """
from flask import Flask, g, jsonify
from vault_auth.middleware.flask import VaultAuthMiddleware, require_auth

app = Flask(__name__)

# Initialize middleware
vault_auth = VaultAuthMiddleware(
    app=app,
    api_key="vault_m2m_your_key_here",
    excluded_paths=["/health", "/public"]
)

@app.route('/protected')
@require_auth()
def protected():
    return jsonify({"email": g.vault_user.email})

@app.route('/admin')
@require_auth(roles=["admin", "owner"])
def admin_only():
    return jsonify({"message": "Admin area"})
"""

FASTAPI_SEED = """
from fastapi import FastAPI, Depends
from vault_auth.middleware.fastapi import (
    VaultAuthMiddleware,
    get_current_user,
    get_current_token_payload,
    RequireAuth,
)
from vault_auth.types import User, TokenPayload

app = FastAPI()

# Add middleware
app.add_middleware(
    VaultAuthMiddleware,
    api_key="vault_m2m_your_key_here",
    excluded_paths=["/health", "/docs"]
)

# Or use dependencies
@app.get("/protected")
async def protected(user: User = Depends(get_current_user)):
    return {"email": user.email}

@app.get("/token-info")
async def token_info(payload: TokenPayload = Depends(get_current_token_payload)):
    return {"user_id": payload.sub, "org_id": payload.org_id}

# Class-based with roles
require_auth = RequireAuth(api_key="vault_m2m_your_key_here")

@app.get("/admin")
async def admin_only(user: User = Depends(require_auth(roles=["admin", "owner"]))):
    return {"message": "Admin area"}
"""


def run_seed(source: str, vault: SandboxHandle, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch.setenv("VAULT_BASE_URL", vault.url)
    namespace: dict[str, object] = {"__name__": "seed_example"}
    exec(compile(source.replace("vault_m2m_your_key_here", vault.api_key), "seed", "exec"), namespace)  # noqa: S102
    return namespace


def test_flask_seed_example(vault_sandbox: SandboxHandle, tokens: Tokens, monkeypatch: pytest.MonkeyPatch) -> None:
    app = run_seed(FLASK_SEED, vault_sandbox, monkeypatch)["app"]
    for path in ("/public/info", "/publicity", "/health"):  # what the seed's users add beside its routes
        app.add_url_rule(path, path, lambda: {"ok": True})  # type: ignore[attr-defined]
    client = app.test_client()  # type: ignore[attr-defined]
    admin = {"Authorization": f"Bearer {tokens.admin}"}
    assert client.get("/protected", headers=admin).get_json() == {"email": tokens.admin_email}
    assert client.get("/admin", headers=admin).get_json() == {"message": "Admin area"}
    assert client.get("/admin", headers={"Authorization": f"Bearer {tokens.member}"}).status_code == 403
    assert client.get("/protected").status_code == 401
    # excluded_paths=["/health", "/public"]: /public covers what is below it, never a longer name.
    assert (client.get("/public/info").status_code, client.get("/health").status_code) == (200, 200)
    assert client.get("/publicity").status_code == 401


def test_fastapi_seed_example(vault_sandbox: SandboxHandle, tokens: Tokens, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    with TestClient(run_seed(FASTAPI_SEED, vault_sandbox, monkeypatch)["app"]) as client:  # type: ignore[arg-type]
        admin = {"Authorization": f"Bearer {tokens.admin}"}
        assert client.get("/protected", headers=admin).json() == {"email": tokens.admin_email}
        info = client.get("/token-info", headers=admin).json()
        assert info["user_id"] and info["org_id"]
        assert client.get("/admin", headers=admin).json() == {"message": "Admin area"}
        assert client.get("/admin", headers={"Authorization": f"Bearer {tokens.member}"}).status_code == 403
        assert client.get("/protected").status_code == 401
        assert client.get("/docs").status_code == 200
