"""FastAPI specifics (reference §6, §8.6-8.9): pure ASGI, websockets, OpenAPI scheme, one verification, CORS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.websockets import WebSocketDisconnect

from sdk_sandbox.pytest_plugin import SandboxHandle
from vault_auth.middleware.core import Verifier
from vault_auth.middleware.fastapi import VaultAuthMiddleware

from . import fastapi_apps
from .tokens import Tokens


def client(vault: SandboxHandle, **options: object) -> TestClient:
    return TestClient(fastapi_apps.build(vault.api_key, vault.url, **options))  # type: ignore[arg-type]


def test_pure_asgi_not_base_http_middleware() -> None:
    assert not issubclass(VaultAuthMiddleware, BaseHTTPMiddleware)


def test_websockets_are_authenticated(vault_sandbox: SandboxHandle, tokens: Tokens) -> None:
    with client(vault_sandbox) as http:
        with pytest.raises(WebSocketDisconnect) as refused, http.websocket_connect("/ws"):
            pass
        assert refused.value.code == 1008
        with http.websocket_connect("/ws", headers={"Authorization": f"Bearer {tokens.admin}"}) as ws:
            assert ws.receive_json() == {"email": tokens.admin_email}
        with pytest.raises(WebSocketDisconnect), http.websocket_connect(f"/ws?access_token={tokens.admin}"):
            pass  # no token from the query string, websockets included


def test_lifespan_passes_through(vault_sandbox: SandboxHandle) -> None:
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        events.append("start")
        yield
        events.append("stop")

    app = FastAPI(lifespan=lifespan)
    app.add_middleware(VaultAuthMiddleware, api_key=vault_sandbox.api_key, base_url=vault_sandbox.url)
    with TestClient(app):
        pass
    assert events == ["start", "stop"]


def test_openapi_declares_the_bearer_scheme(vault_sandbox: SandboxHandle) -> None:
    app = fastapi_apps.build(vault_sandbox.api_key, vault_sandbox.url, middleware=False)
    spec = app.openapi()
    assert spec["components"]["securitySchemes"]["HTTPBearer"] == {
        "type": "http", "scheme": "bearer", "description": "A Vault access token"
    }  # fmt: skip
    for path in ("/dep/user", "/dep/payload", "/dep/require", "/dep/admin"):
        assert spec["paths"][path]["get"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in spec["paths"]["/hello"]["get"]


def test_one_verification_per_request(
    vault_sandbox: SandboxHandle, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = Verifier.verify

    async def counting(self: Verifier, values: object) -> object:
        calls.append(1)
        return await original(self, values)  # type: ignore[arg-type]

    monkeypatch.setattr(Verifier, "verify", counting)
    with client(vault_sandbox) as http:
        answer = http.get("/dep/admin", headers={"Authorization": f"Bearer {tokens.admin}"})
    assert answer.status_code == 200
    assert len(calls) == 1  # the middleware verified; RequireAuth reused request.state.vault_user


def test_cors_outermost_so_401_carries_cors_headers(vault_sandbox: SandboxHandle) -> None:
    with client(vault_sandbox, cors=True) as http:
        refused = http.get("/hello", headers={"Origin": "https://app.example"})
        preflight = http.options(
            "/hello", headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"}
        )
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == "https://app.example"
    assert preflight.status_code == 200


def test_root_path_is_stripped_on_a_segment_boundary(vault_sandbox: SandboxHandle) -> None:
    app = fastapi_apps.build(vault_sandbox.api_key, vault_sandbox.url)
    with TestClient(app, root_path="/api") as http:  # the server's root path, as behind a proxy
        assert http.get("/api/health").status_code == 200
        assert http.get("/api/healthz").status_code == 401


def test_bad_exclusions_fail_at_start_up(vault_sandbox: SandboxHandle) -> None:
    app = FastAPI()
    app.add_middleware(VaultAuthMiddleware, api_key=vault_sandbox.api_key, excluded_paths=["/health/../x"])
    with pytest.raises(ValueError, match="excluded path"), TestClient(app):
        pass


@pytest.mark.usefixtures("no_configured_credentials")
def test_missing_api_key_fails_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VAULT_API_KEY", raising=False)
    app = FastAPI()
    app.add_middleware(VaultAuthMiddleware)
    with pytest.raises(ValueError, match="API key"), TestClient(app):
        pass
