"""The whole local stack on loopback: the Vault, Vortex, Loops, Stripe and Twilio sandboxes, their dashboard, and the
example app.

Used by `make demo` (walks the flows, then stops) and `make sandbox` (leaves it running for manual use).
"""

from __future__ import annotations

from pathlib import Path

import attrs
from fastapi_app.main import create_app
from invitations_common.settings import Settings

from sdk_sandbox.dashboard import Dashboard
from sdk_sandbox.loops import build_loops_app
from sdk_sandbox.runner import BackgroundServer, bind, url_of
from sdk_sandbox.server import SandboxApp
from sdk_sandbox.stripe import build_stripe_app
from sdk_sandbox.twilio import build_twilio_app
from sdk_sandbox.twilio.state import state_of as twilio_state
from sdk_sandbox.vault import build_vault_app
from sdk_sandbox.vortex import build_vortex_app


@attrs.frozen
class Stack:
    """Where everything listens, and the keys (local sandbox keys: not secrets)."""

    settings: Settings
    vault_root: str
    vortex_root: str
    loops_root: str
    loops_base_url: str
    loops_api_key: str
    app_url: str
    dashboard_url: str
    sandboxes: dict[str, SandboxApp]
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
                f"loops sandbox     {self.loops_base_url}    LOOPS_API_KEY={self.loops_api_key}",
                f"FastAPI example   {self.app_url}    (API docs: {self.app_url}/docs)",
                f"dashboard         {self.dashboard_url}    (what the sandboxes hold; refreshes by itself)",
                f'mint a Vault token: curl -X POST {self.vault_root}/sandbox/tokens -d \'{{"user_id": "..."}}\'',
                f"add an invitation:  curl -X POST {self.vortex_root}/sandbox/invitations "
                '-d \'{"target": {"type": "email", "value": "user@example.com"}}\'',
                *self._more_sandboxes(),
            ]
        )

    def _more_sandboxes(self) -> list[str]:
        """Seed 002's Stripe and Twilio sandboxes (their keys and credentials; on the dashboard too)."""
        stripe, twilio = self.sandboxes["stripe"], self.sandboxes["twilio"]
        return [
            f"stripe sandbox    {stripe.root_url}    STRIPE_API_KEY={next(iter(stripe.api_keys))}",
            f"twilio sandbox    {twilio.root_url}    TWILIO_ACCOUNT_SID={twilio_state(twilio).account_sid} "
            f"TWILIO_AUTH_TOKEN={twilio_state(twilio).auth_token}",
        ]


def start_stack(database: Path, *, refresh_seconds: float = 1.0) -> Stack:
    """Start the sandboxes, their dashboard (polling every `refresh_seconds`) and the FastAPI example (its database
    at `database`) on free loopback ports."""
    apps = {
        "vault": build_vault_app(), "vortex": build_vortex_app(), "loops": build_loops_app(),
        "stripe": build_stripe_app(), "twilio": build_twilio_app(),
    }  # fmt: skip
    socks = {name: bind() for name in apps}
    base_urls = {name: url_of(socks[name], app.api.spec.base_path) for name, app in apps.items()}
    for name in ("stripe", "twilio"):
        apps[name].root_url = url_of(socks[name])  # Stripe's checkout URLs point at its hosted page
    app_sock, dashboard_sock = bind(), bind()
    settings = Settings(
        vault_api_key=next(iter(apps["vault"].api_keys)), vault_base_url=base_urls["vault"],
        vortex_api_key=next(iter(apps["vortex"].api_keys)), vortex_base_url=base_urls["vortex"],
        database_url=f"sqlite:///{database}",
    )  # fmt: skip
    dashboard = Dashboard({name: (app, base_urls[name]) for name, app in apps.items()}, refresh_seconds=refresh_seconds)
    server = BackgroundServer(
        [
            *((app, socks[name]) for name, app in apps.items()),
            (create_app(settings), app_sock),
            (dashboard, dashboard_sock),
        ]
    )
    server.start()
    return Stack(
        settings, url_of(socks["vault"]), url_of(socks["vortex"]), url_of(socks["loops"]), base_urls["loops"],
        next(iter(apps["loops"].api_keys)), url_of(app_sock), url_of(dashboard_sock), apps, server,
    )  # fmt: skip
