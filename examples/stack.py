"""The whole local stack on loopback: the Vault and Vortex sandboxes and the seed's FastAPI example app.

Used by `make demo` (walks the flows, then stops) and `make sandbox` (leaves it running for manual use).
"""

from __future__ import annotations

from pathlib import Path

import attrs
from fastapi_app.main import create_app
from invitations_common.settings import Settings

from sdk_sandbox.runner import BackgroundServer, bind, url_of
from sdk_sandbox.vault import build_vault_app
from sdk_sandbox.vortex import build_vortex_app


@attrs.frozen
class Stack:
    """Where everything listens, and the keys (local sandbox keys: not secrets)."""

    settings: Settings
    vault_root: str
    vortex_root: str
    app_url: str
    server: BackgroundServer

    def stop(self) -> None:
        """Stop every server."""
        self.server.stop()

    def describe(self) -> str:
        """The URLs and keys, as `make sandbox` prints them."""
        s = self.settings
        return "\n".join(
            [
                f"vault sandbox     {s.vault_base_url}    VAULT_API_KEY={s.vault_api_key}",
                f"vortex sandbox    {s.vortex_base_url}    VORTEX_API_KEY={s.vortex_api_key}",
                f"FastAPI example   {self.app_url}    (API docs: {self.app_url}/docs)",
                f'mint a Vault token: curl -X POST {self.vault_root}/sandbox/tokens -d \'{{"user_id": "..."}}\'',
                f"add an invitation:  curl -X POST {self.vortex_root}/sandbox/invitations "
                '-d \'{"target": {"type": "email", "value": "user@example.com"}}\'',
            ]
        )


def start_stack(database: Path) -> Stack:
    """Start the sandboxes and the FastAPI example (its database at `database`) on free loopback ports."""
    vault_app, vortex_app = build_vault_app(), build_vortex_app()
    vault_sock, vortex_sock, app_sock = bind(), bind(), bind()
    settings = Settings(
        vault_api_key=next(iter(vault_app.api_keys)), vault_base_url=url_of(vault_sock),
        vortex_api_key=next(iter(vortex_app.api_keys)), vortex_base_url=url_of(vortex_sock, "/api/v1"),
        database_url=f"sqlite:///{database}",
    )  # fmt: skip
    server = BackgroundServer([(vault_app, vault_sock), (vortex_app, vortex_sock), (create_app(settings), app_sock)])
    server.start()
    return Stack(settings, url_of(vault_sock), url_of(vortex_sock), url_of(app_sock), server)
