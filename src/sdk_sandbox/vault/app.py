"""The Vault sandbox: `build_vault_app()` returns an ASGI app serving openapi/vault.yaml plus its control endpoints."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..control import control_index
from ..server import ApiDefinition, SandboxApp
from ..spec import SpecIndex
from ..specs import spec_path
from ..state import Store
from . import handlers
from .control import CONTROL_HANDLERS
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


def restore_keys(app: SandboxApp) -> None:
    """On reset, back to the first signing keys."""
    state_of(app).keys.restore()


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
