"""Seed 000's FastAPI app: the eight `/api/vortex` endpoints, callers authenticated by Vault bearer tokens.

Run it from `examples/` with the sandboxes up (`make sandbox` starts all of it for you):
    VAULT_API_KEY=... VAULT_BASE_URL=... VORTEX_API_KEY=... VORTEX_BASE_URL=... uvicorn fastapi_app.main:app
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from invitations_common.callers import Caller, authenticate_async, require_admin
from invitations_common.memberships import grant_memberships, memberships_of, migrate
from invitations_common.problems import Problem, from_vortex
from invitations_common.requests import accept_request, check_addressed_to, jwt_context, target_query
from invitations_common.settings import Settings
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from vault_auth import AsyncVaultAuth
from vortex_sdk import AcceptUser, Vortex, VortexApiError


async def current_caller(request: Request) -> Caller:
    """The seed's `get_current_user`: the bearer token, confirmed by Vault."""
    return await authenticate_async(request.app.state.vault, request.headers.getlist("authorization"))


def vortex_client(request: Request) -> Vortex:
    """The seed's `VortexDep`: one client (and connection pool) for the app's lifetime."""
    client: Vortex = request.app.state.vortex
    return client


CurrentUser = Annotated[Caller, Depends(current_caller)]
VortexDep = Annotated[Vortex, Depends(vortex_client)]


async def json_body(request: Request) -> Any:
    """The request's JSON body (None when empty); 400 when it is not JSON."""
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return await request.json()
    except ValueError:
        raise Problem(400, "Body must be JSON", "INVALID_REQUEST") from None


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app, wired to `settings` (from the environment when None); migrates its database on start-up."""
    settings = settings or Settings.from_env()
    engine = create_engine(settings.database_url, connect_args={"check_same_thread": False})

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        migrate(settings.database_url)
        async with (
            AsyncVaultAuth(api_key=settings.vault_api_key, base_url=settings.vault_base_url) as vault,
            Vortex(api_key=settings.vortex_api_key, base_url=settings.vortex_base_url) as vortex,
        ):
            app.state.vault, app.state.vortex = vault, vortex
            yield
        engine.dispose()

    app = FastAPI(title="Vortex invitations (FastAPI example)", lifespan=lifespan)
    app.state.engine = engine

    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> JSONResponse:
        return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(VortexApiError)
    async def vortex_failed(request: Request, exc: VortexApiError) -> JSONResponse:
        answer = from_vortex(exc)
        return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers)

    @app.exception_handler(SQLAlchemyError)
    async def database_failed(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        return JSONResponse({"error": "Internal server error", "code": "INTERNAL_ERROR"}, status_code=500)

    @app.post("/api/vortex/jwt")
    async def generate_jwt(request: Request, current_user: CurrentUser, vortex: VortexDep) -> dict[str, str]:
        """A Vortex widget JWT for the caller (optional `componentId`, `scope`, `scopeType`)."""
        extra = jwt_context(await json_body(request))
        return {"jwt": vortex.generate_jwt(user=current_user.to_vortex_user(), **extra)}

    @app.get("/api/vortex/invitations")
    async def get_invitations_by_target(
        current_user: CurrentUser,
        vortex: VortexDep,
        target_type: Annotated[str | None, Query(alias="type")] = None,
        value: str | None = None,
    ) -> dict[str, Any]:
        """Invitations sent to a target (`?type=email&value=...`)."""
        kind, target = target_query(target_type, value)
        invitations = await vortex.get_invitations_by_target(kind, target)
        return {"invitations": [inv.model_dump() for inv in invitations]}

    @app.post("/api/vortex/invitations/accept")
    async def accept_invitations(request: Request, current_user: CurrentUser, vortex: VortexDep) -> dict[str, Any]:
        """Accept invitations and grant their groups' memberships, all or nothing."""
        accept = accept_request(await json_body(request), current_user)
        invitations = [await vortex.get_invitation(i) for i in accept.invitation_ids]
        check_addressed_to(current_user, invitations)
        with Session(engine) as session, session.begin():  # rolled back if anything below raises
            granted = grant_memberships(session, current_user.id, invitations)
            await vortex.accept_invitations(accept.invitation_ids, AcceptUser(email=accept.target["value"]))
            memberships = [m.as_dict() for m in granted]
        return {"success": True, "acceptedCount": len(accept.invitation_ids), "memberships": memberships}

    @app.get("/api/vortex/invitations/by-group/{group_type}/{group_id}")
    async def get_invitations_by_group(
        group_type: str, group_id: str, current_user: CurrentUser, vortex: VortexDep
    ) -> dict[str, Any]:
        """Invitations to one of the application's groups."""
        invitations = await vortex.get_invitations_by_group(group_type, group_id)
        return {"invitations": [inv.model_dump() for inv in invitations]}

    @app.delete("/api/vortex/invitations/by-group/{group_type}/{group_id}")
    async def delete_invitations_by_group(
        group_type: str, group_id: str, current_user: CurrentUser, vortex: VortexDep
    ) -> dict[str, bool]:
        """Delete every invitation to a group (organization admins only)."""
        require_admin(current_user)
        await vortex.delete_invitations_by_group(group_type, group_id)
        return {"success": True}

    @app.get("/api/vortex/invitations/{invitation_id}")
    async def get_invitation(invitation_id: str, current_user: CurrentUser, vortex: VortexDep) -> dict[str, Any]:
        """One invitation."""
        return (await vortex.get_invitation(invitation_id)).model_dump()

    @app.delete("/api/vortex/invitations/{invitation_id}")
    async def revoke_invitation(invitation_id: str, current_user: CurrentUser, vortex: VortexDep) -> dict[str, bool]:
        """Revoke an invitation."""
        await vortex.revoke_invitation(invitation_id)
        return {"success": True}

    @app.post("/api/vortex/invitations/{invitation_id}/reinvite")
    async def reinvite(invitation_id: str, current_user: CurrentUser, vortex: VortexDep) -> dict[str, bool]:
        """Send an invitation again."""
        await vortex.reinvite(invitation_id)
        return {"success": True}

    @app.get("/api/me/memberships")
    async def my_memberships(current_user: CurrentUser) -> dict[str, Any]:
        """The caller's group memberships (what accepting invitations granted)."""
        with Session(engine) as session:
            return {"memberships": [m.as_dict() for m in memberships_of(session, current_user.id)]}

    return app


def __getattr__(name: str) -> Any:
    # `uvicorn fastapi_app.main:app` builds the app from the environment on first access, not at import.
    if name == "app":
        return create_app()
    raise AttributeError(name)
