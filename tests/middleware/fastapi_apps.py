"""FastAPI apps for the middleware tests: seed 001's shape, dependencies, a websocket, the bypass routes."""

# ruff: noqa: B008  (the seed's `user = Depends(...)` style, on purpose)

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI, Request, WebSocket
from fastapi.middleware.cors import CORSMiddleware

from vault_auth.middleware.core import VaultUser
from vault_auth.middleware.fastapi import RequireAuth, VaultAuthMiddleware, get_current_token_payload, get_current_user
from vault_auth.types import TokenPayload

EXCLUDED = ["/health", "/public"]  # as seed 001 writes them: /public covers /public/info


def build(api_key: str, base_url: str, *, middleware: bool = True, cors: bool = False) -> FastAPI:
    """The test app; `middleware=False` leaves only the dependencies."""
    app = FastAPI()
    if middleware:
        app.add_middleware(VaultAuthMiddleware, api_key=api_key, base_url=base_url, excluded_paths=EXCLUDED)
    if cors:  # added after the vault middleware, so CORS is outermost
        app.add_middleware(CORSMiddleware, allow_origins=["https://app.example"], allow_methods=["*"],
                           allow_headers=["*"])  # fmt: skip
    require_auth = RequireAuth(api_key=api_key, base_url=base_url)

    @app.get("/hello")
    async def hello(request: Request) -> dict[str, Any]:
        user = getattr(request.state, "vault_user", None)
        return {"hello": user.email if user else "anonymous"}

    for path in ("/health", "/healthz", "/publicity", "/admin"):
        app.add_api_route(path, lambda: {"ok": True})

    @app.get("/public/{rest:path}")
    async def public(rest: str) -> dict[str, str]:
        return {"rest": rest}

    @app.get("/dep/user")
    async def dep_user(user: VaultUser = Depends(get_current_user)) -> dict[str, Any]:
        return {"email": user.email}

    @app.get("/dep/payload")
    async def dep_payload(payload: TokenPayload = Depends(get_current_token_payload)) -> dict[str, Any]:
        return {"user_id": payload.sub, "org_id": payload.org_id}

    @app.get("/dep/require")
    async def dep_require(user: VaultUser = Depends(require_auth())) -> dict[str, Any]:
        return {"email": user.email}

    @app.get("/dep/admin")
    async def dep_admin(user: VaultUser = Depends(require_auth(roles=["admin", "owner"]))) -> dict[str, str]:
        return {"message": "Admin area"}

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json({"email": websocket.state.vault_user.email})
        await websocket.close()

    return app
