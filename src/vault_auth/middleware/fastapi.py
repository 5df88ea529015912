"""FastAPI / Starlette integration: a pure ASGI middleware and `async` dependencies (seed 001, "FastAPI Integration").

    app.add_middleware(VaultAuthMiddleware, api_key="vault_m2m_...", excluded_paths=["/health", "/docs"])

    @app.get("/protected")
    async def protected(user: VaultUser = Depends(get_current_user)): ...

    require_auth = RequireAuth(api_key="vault_m2m_...")
    @app.get("/admin")
    async def admin(user = Depends(require_auth(roles=["admin", "owner"]))): ...

The middleware authenticates `http` and `websocket` scopes (a refused websocket is closed with 1008 before it is
accepted), passes `lifespan` and CORS preflights through, and leaves the caller in `request.state.vault_user`.
It answers refusals itself with `{"detail": {"error", "error_description"}}` (FastAPI's envelope), so a refusal
never becomes a 500. Add it before `CORSMiddleware`, so that CORS stays outermost and 401s carry CORS headers.
Excluded paths are matched on Starlette's `get_route_path` (decoded, `root_path` stripped on a segment boundary).

The dependencies are `async def`, declare `HTTPBearer` (so `/docs` shows the Authorize button), and reuse what the
middleware verified, so a request is verified once; without the middleware they verify on their own.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Annotated, Any

from .extras import missing_extra

try:
    from fastapi import Depends, HTTPException, Request
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
    from starlette._utils import get_route_path
except ImportError as exc:  # the framework (or a package it needs) is not installed
    raise missing_extra("fastapi", exc) from None

from ..client import AsyncVaultAuth
from ..types import TokenPayload
from .core import AuthProblem, VaultUser, Verifier, check_roles, is_preflight, normalise_roles
from .paths import ExcludedPaths

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

STATE_USER = "vault_user"
STATE_VERIFIER = "vault_verifier"
_bearer = HTTPBearer(auto_error=False, description="A Vault access token")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
"""Declares the bearer scheme in OpenAPI (the Authorize button in /docs); the value itself is read from headers."""


def _authorization(scope: Scope) -> list[str]:
    return [value.decode("latin-1") for name, value in scope["headers"] if name == b"authorization"]  # all fields


def _header_map(scope: Scope) -> dict[str, str]:
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}


class VaultAuthMiddleware:
    """Pure ASGI middleware: every `http`/`websocket` request needs a valid Vault bearer token unless excluded.

    Args:
        app: The ASGI app (given by `add_middleware`).
        api_key: Your Vault M2M key; `VAULT_API_KEY` from the environment when None.
        base_url: Vault's URL; `VAULT_BASE_URL`, else `https://api.vault.dev`.
        excluded_paths: Paths exempt with everything below them (`"/public"` covers `/public/info`, never
            `/publicity`); checked now (bad entries raise `ValueError`).
        roles: When given, every request's `org_role` must be one of them (403 otherwise).
        client: An `AsyncVaultAuth` to verify with (its options: issuer, audience, leeway...).
    """

    def __init__(
        self,
        app: ASGIApp,
        api_key: str | None = None,
        base_url: str | None = None,
        excluded_paths: Iterable[str] | None = None,
        roles: Iterable[str] | None = None,
        client: AsyncVaultAuth | None = None,
    ) -> None:
        self.app = app
        self.excluded: ExcludedPaths = ExcludedPaths.parse(excluded_paths)
        self.roles: frozenset[str] = normalise_roles(roles)
        self.verifier: Verifier = Verifier.configured(api_key, base_url, async_client=client)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Authenticate one connection, then hand it on (or refuse it)."""
        kind = scope["type"]
        if kind != "http" and kind != "websocket":
            await self.app(scope, receive, send)
            return
        state = scope.get("state")
        if state is None:
            state = scope["state"] = {}
        state[STATE_VERIFIER] = self.verifier
        if (kind == "http" and scope["method"] == "OPTIONS" and is_preflight("OPTIONS", _header_map(scope))) or (
            self.excluded and self.excluded.matches(get_route_path(scope))
        ):
            await self.app(scope, receive, send)
            return
        try:
            user = await self.verifier.verify(_authorization(scope))
            if self.roles:
                check_roles(user, self.roles)
        except AuthProblem as problem:
            await (_refuse_http(problem, send) if kind == "http" else _refuse_websocket(receive, send))
            return
        state[STATE_USER] = user
        await self.app(scope, receive, send)


async def _refuse_http(problem: AuthProblem, send: Send) -> None:
    body = json.dumps({"detail": problem.body()}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in problem.headers().items()]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse_websocket(receive: Receive, send: Send) -> None:
    await receive()  # websocket.connect
    await send({"type": "websocket.close", "code": 1008, "reason": "authentication required"})


def _http_error(problem: AuthProblem) -> HTTPException:
    return HTTPException(status_code=problem.status, detail=problem.body(), headers=problem.headers() or None)


_default_verifier: Verifier | None = None


def _verifier_for(request: Request) -> Verifier:
    verifier = getattr(request.state, STATE_VERIFIER, None)
    if verifier is not None:
        return verifier  # type: ignore[no-any-return]
    global _default_verifier
    if _default_verifier is None:  # no middleware: configured from VAULT_API_KEY / VAULT_BASE_URL
        _default_verifier = Verifier.configured()
    return _default_verifier


async def _user(request: Request, verifier: Verifier) -> VaultUser:
    # Every Authorization field is read from the request itself (HTTPBearer keeps only the first, and two must be
    # refused); the `credentials` parameter of the dependencies exists to declare the scheme in OpenAPI.
    known = getattr(request.state, STATE_USER, None)
    if known is not None:
        return known  # type: ignore[no-any-return]
    try:
        user = await verifier.verify(request.headers.getlist("authorization"))
    except AuthProblem as problem:
        raise _http_error(problem) from None
    setattr(request.state, STATE_USER, user)
    return user


async def get_current_user(request: Request, credentials: Credentials) -> VaultUser:
    """The caller, a `vault_auth.types.User` (a `VaultUser`: every `User` field, plus `.org_id`, `.org_role`,
    `.payload`): the middleware's, or verified now. Fields the token does not carry are fetched when first read."""
    return await _user(request, _verifier_for(request))


async def get_current_token_payload(request: Request, credentials: Credentials) -> TokenPayload:
    """The verified token's claims (`sub`, `org_id`, `org_role`, ...)."""
    return (await _user(request, _verifier_for(request))).payload


class RequireAuth:
    """Dependencies requiring a valid token and, optionally, roles: `RequireAuth(api_key=...)(roles=[...])`.

    Each call returns a distinct dependency (FastAPI caches per dependency callable within a request).
    """

    def __init__(self, api_key: str | None = None, base_url: str | None = None, client: AsyncVaultAuth | None = None):
        self.verifier: Verifier = Verifier.configured(api_key, base_url, async_client=client)

    def __call__(self, roles: Iterable[str] | None = None) -> Callable[..., Awaitable[VaultUser]]:
        """An `async` dependency returning the caller; 401 without a valid token, 403 without one of `roles`."""
        wanted = normalise_roles(roles)
        verifier = self.verifier

        async def require(request: Request, credentials: Credentials) -> VaultUser:
            user = await _user(request, verifier)
            try:
                check_roles(user, wanted)
            except AuthProblem as problem:
                raise _http_error(problem) from None
            return user

        return require
