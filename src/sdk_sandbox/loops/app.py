"""The Loops sandbox: `build_loops_app()` serves openapi/loops.yaml plus its control endpoints, over SQLite.

Loops' wire rules it keeps: Bearer API keys (401 `{success: false, error: "Invalid API key"}`), bodies
`{success: false, message}` for every other failure, 405 without a body, 10 requests per second with
`x-ratelimit-limit` / `x-ratelimit-remaining` on every response (429 beyond), and an `Idempotency-Key` that answers
409 on its second use whatever the body. Transactional sends land in an outbox and fire signed webhooks, sent
by the shared delivery worker (`sdk_sandbox.delivery`) that `app.close()` stops.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..control import control_index
from ..server import Admission, ApiDefinition, SandboxApp
from ..spec import SpecIndex
from ..specs import spec_path
from ..state import Store
from . import handlers, panel, webhooks
from .control import (
    CONTROL_HANDLERS,
)
from .state import LoopsState, state_of

CONTROL_SPEC = Path(__file__).with_name("control.yaml")
MAX_BODY_BYTES = 12 * 1024 * 1024  # 7 MB of attachments, base64-encoded, plus the rest of the request


def error_body(status: int, code: str, message: str, fields: Mapping[str, list[str]]) -> dict[str, Any] | None:
    """Loops' shapes: 401 `{success, error}`, 405 no body, else `{success, message}` (field problems folded in)."""
    if status == 401:
        return {"success": False, "error": "Invalid API key"}
    if status == 405:
        return None
    if fields:
        message = f"{message}: " + "; ".join(f"{name} {', '.join(msgs)}" for name, msgs in fields.items())
    return {"success": False, "message": message}


def check_credential(app: SandboxApp, credential: str) -> bool:
    """Accept the configured keys."""
    return credential in app.api_keys


def new_api_key() -> str:
    """A key shaped like Loops' (32 hex characters)."""
    return secrets.token_hex(16)


def admit(app: SandboxApp) -> Admission:
    """The API's rate limit, applied to every upstream request."""
    return state_of(app).rate_limit.admit()


def _setup(store: Store) -> None:
    store.script(handlers.SCHEMA)


def restore_defaults(app: SandboxApp) -> None:
    """Boot state: the default team, attachments off, 10 requests/s, no recipient outcomes, no webhook endpoint."""
    state_of(app).restore()


def build_loops_app(*, db: str | None = None, api_keys: tuple[str, ...] | None = None) -> SandboxApp:
    """The Loops sandbox app; with no `api_keys`, one is minted (read it from `app.api_keys`)."""
    definition = ApiDefinition(
        name="loops",
        spec=SpecIndex.load(spec_path("loops")),
        control=control_index(CONTROL_SPEC),
        handlers={**handlers.HANDLERS, **CONTROL_HANDLERS},
        check_credential=check_credential,
        error_body=error_body,
        setup=_setup,
        tables=handlers.TABLES,
        on_reset=restore_defaults,
        idempotency="conflict",
        max_body_bytes=MAX_BODY_BYTES,
        admit=admit,
        dashboard=panel.loops_panel,
        actions=panel.ACTIONS,
        on_close=lambda app: state_of(app).webhooks.stop(),
    )
    app = SandboxApp(definition, db=db, api_keys=api_keys or (new_api_key(),))
    app.state = LoopsState(webhooks=webhooks.Deliverer(app))
    return app
