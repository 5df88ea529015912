"""The Vortex sandbox: `build_vortex_app()` serves openapi/vortex.yaml plus its control endpoints, over SQLite."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..control import COMMON_HANDLERS, control_index
from ..server import ApiDefinition, Handler, SandboxApp
from ..spec import SpecIndex
from ..specs import spec_path
from ..state import Store
from .control import sandbox_create_invitation, verify_generated_jwt
from .credentials import InvalidApiKey, new_api_key, parse_api_key
from .handlers import (
    accept_invitations,
    configure_autojoin,
    create_invitation,
    delete_invitations_by_scope,
    get_autojoin_domains,
    get_invitation,
    get_invitations_by_scope,
    get_invitations_by_target,
    reinvite,
    revoke_invitation,
    sync_internal_invitation,
)
from .panel import vortex_panel
from .records import SCHEMA, TABLES
from .state import VortexState

CONTROL_SPEC = Path(__file__).with_name("control.yaml")


def error_body(status: int, code: str, message: str, fields: Mapping[str, list[str]]) -> dict[str, Any]:
    """Vortex's flat `{"error": "..."}` shape; field problems are folded into the message."""
    if fields:
        message = f"{message}: " + "; ".join(f"{name} {', '.join(msgs)}" for name, msgs in fields.items())
    return {"error": message}


def check_credential(app: SandboxApp, credential: str) -> bool:
    """Accept the configured keys, which are well-formed VRTX keys."""
    return credential in app.api_keys


HANDLERS: dict[str, Handler] = {
    "getInvitationsByTarget": get_invitations_by_target,
    "getInvitation": get_invitation,
    "revokeInvitation": revoke_invitation,
    "acceptInvitations": accept_invitations,
    "reinvite": reinvite,
    "getInvitationsByGroup": get_invitations_by_scope,
    "deleteInvitationsByGroup": delete_invitations_by_scope,
    "getInvitationsByScope": get_invitations_by_scope,
    "deleteInvitationsByScope": delete_invitations_by_scope,
    "createInvitation": create_invitation,
    "getAutojoinDomains": get_autojoin_domains,
    "configureAutojoin": configure_autojoin,
    "syncInternalInvitation": sync_internal_invitation,
    "sandboxCreateInvitation": sandbox_create_invitation,
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
        dashboard=vortex_panel,
    )
    app = SandboxApp(definition, db=db, api_keys=keys)
    app.state = VortexState()
    return app
