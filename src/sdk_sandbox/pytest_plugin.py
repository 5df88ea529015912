"""pytest plugin (entry point `pytest11`): a Vault sandbox on a free loopback port for the whole test session.

Fixtures:
    vault_sandbox_server  session-wide: the running server (`.url`, `.api_key`, `.mint_token()`, `.reset()`, ...)
    vault_sandbox         the same server, reset to an empty state before the test
    vault_http            a `sdk_runtime.SyncAPIClient` configured for the sandbox (closed after the test)
    async_vault_http      the `AsyncAPIClient` twin
    vortex_sandbox_server, vortex_sandbox, vortex_http, async_vortex_http
                          the same for the Vortex sandbox (`.create_invitation()` adds test data)
    stripe_sandbox_server, stripe_sandbox, stripe_http, async_stripe_http
                          the same for the Stripe sandbox (`.complete_checkout()`, `.trigger()`, `.advance()`,
                          `.fail_next_payment()`, `.deliveries()`, `.delivery_settings()`, `.wait_for_deliveries()`)
    vault_client          a `vault_auth.VaultAuth` configured for the Vault sandbox (needs vault-auth installed)
    async_vault_client    the `AsyncVaultAuth` twin
    vortex_client         a `vortex_sdk.Vortex` configured for the Vortex sandbox (needs vortex-python-sdk installed)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from .runner import BackgroundServer, bind, url_of
from .server import SandboxApp


class SandboxHandle:
    """A running sandbox and the control calls tests need."""

    def __init__(self, app: SandboxApp, url: str, root_url: str) -> None:
        self.app = app
        self.url = url
        """The API's base URL (what an SDK's `base_url` is set to); control endpoints live under `root_url`."""
        self.api_key = next(iter(app.api_keys))
        self._control = httpx.Client(base_url=root_url, timeout=10)

    def control(self, method: str, path: str, json: Any = None) -> Any:
        """Call a `/sandbox/` control endpoint and return its JSON (None for 204); raise on an error status."""
        response = self._control.request(method, path, json=json)
        response.raise_for_status()
        return response.json() if response.content else None

    def mint_token(self, user_id: str, **options: Any) -> str:
        """A signed access token for an existing user (`org_id`, `alg`, `kid`, `expires_in`, `claims`)."""
        result: str = self.control("POST", "/sandbox/tokens", {"user_id": user_id, **options})["token"]
        return result

    def inject_fault(self, kind: str, count: int = 1, **options: Any) -> None:
        """Make the next `count` requests fail (`status`, `retry_after`, `delay`)."""
        self.control("POST", "/sandbox/faults", {"kind": kind, "count": count, **options})

    def create_invitation(self, target_type: str, target_value: str, **fields: Any) -> dict[str, Any]:
        """Vortex only: an invitation for a target (`groups=[{"type", "groupId", "name"}]`, `status`, ...)."""
        body = {"target": {"type": target_type, "value": target_value}, **fields}
        invitation: dict[str, Any] = self.control("POST", "/sandbox/invitations", body)
        return invitation

    def complete_checkout(self, session_id: str, card_number: str = "4242424242424242", **fields: Any) -> Any:
        """Stripe only: pay an open Checkout Session (as the hosted page does); `{session, redirect, events}`."""
        return self.control(
            "POST", f"/sandbox/stripe/checkout/{session_id}/complete", {"card_number": card_number, **fields}
        )

    def trigger(self, event: str) -> Any:
        """Stripe only: what `stripe trigger <event>` does; `{created, events}`."""
        return self.control("POST", "/sandbox/stripe/trigger", {"event": event})

    def advance(self, days: float = 0, seconds: float = 0) -> Any:
        """Stripe only: move the clock forward and run trials, renewals and period-end cancels; `{now, events}`."""
        return self.control("POST", "/sandbox/stripe/advance", {"days": days, "seconds": seconds})

    def fail_next_payment(self, count: int = 1, **options: Any) -> None:
        """Stripe only: decline the next `count` charges (`code`, `decline_code`)."""
        self.control("POST", "/sandbox/stripe/fail_next_payment", {"count": count, **options})

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        """Stripe only: the webhook deliveries so far (`event_id`, `status` filters)."""
        response = self._control.get("/sandbox/stripe/deliveries", params=filters)
        response.raise_for_status()
        rows: list[dict[str, Any]] = response.json()["deliveries"]
        return rows

    def delivery_settings(self, **settings: Any) -> Any:
        """Stripe only: `shuffle`, `duplicate`, `seed`, `retry_delays` of webhook delivery."""
        return self.control("PUT", "/sandbox/stripe/delivery", settings)

    def wait_for_deliveries(self, timeout: float = 20.0) -> list[dict[str, Any]]:
        """Stripe only: wait until no delivery is pending (each succeeded or gave up), then return them all."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            rows = self.deliveries()
            if not any(row["status"] == "pending" for row in rows) or time.monotonic() > deadline:
                return rows
            time.sleep(0.05)

    def reset(self) -> None:
        """Back to an empty sandbox."""
        self.control("POST", "/sandbox/reset")

    def close(self) -> None:
        """Release the control client."""
        self._control.close()


def _serve(app: SandboxApp) -> Iterator[SandboxHandle]:
    sock = bind()
    server = BackgroundServer([(app, sock)])
    server.start()
    app.extra.setdefault("root_url", url_of(sock))  # where the sandbox's own pages are (Stripe's checkout)
    handle = SandboxHandle(app, url_of(sock, app.api.spec.base_path), url_of(sock))
    try:
        yield handle
    finally:
        handle.close()
        server.stop()


def _runtime_config(handle: SandboxHandle, env: str) -> Any:
    from sdk_runtime import AuthScheme, ClientConfig

    scheme = handle.app.api.spec.security_schemes.get("apiKeyAuth")
    auth = AuthScheme(header=scheme["name"], prefix=None) if scheme else AuthScheme()
    return ClientConfig.create(
        api_key=handle.api_key, api_key_env=env, base_url=handle.url, sdk_name="sandbox-tests", sdk_version="0",
        retry_delay=0.01, auth=auth,
    )  # fmt: skip


def _fixtures_for(api: str, api_key_env: str) -> tuple[Any, ...]:
    """The four fixtures of one API: session server, emptied sandbox, sync and async runtime clients."""

    def builder() -> SandboxApp:
        from importlib import import_module

        app: SandboxApp = getattr(import_module(f"sdk_sandbox.{api}"), f"build_{api}_app")()
        return app

    @pytest.fixture(scope="session", name=f"{api}_sandbox_server")
    def server() -> Iterator[SandboxHandle]:
        """The API's sandbox on 127.0.0.1 (free port), started once per session and stopped at its end."""
        yield from _serve(builder())

    @pytest.fixture(name=f"{api}_sandbox")
    def sandbox(request: pytest.FixtureRequest) -> SandboxHandle:
        """The session's sandbox, emptied before this test."""
        handle: SandboxHandle = request.getfixturevalue(f"{api}_sandbox_server")
        handle.reset()
        return handle

    @pytest.fixture(name=f"{api}_http")
    def http(request: pytest.FixtureRequest) -> Iterator[Any]:
        """A runtime `SyncAPIClient` pointed at the sandbox with its API key (closed after the test)."""
        from sdk_runtime import SyncAPIClient

        with SyncAPIClient(_runtime_config(request.getfixturevalue(f"{api}_sandbox"), api_key_env)) as client:
            yield client

    @pytest.fixture(name=f"async_{api}_http")
    async def async_http(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
        """The `AsyncAPIClient` twin of the `*_http` fixture."""
        from sdk_runtime import AsyncAPIClient

        async with AsyncAPIClient(_runtime_config(request.getfixturevalue(f"{api}_sandbox"), api_key_env)) as client:
            yield client

    return server, sandbox, http, async_http


# Each fixture must be a module attribute of its own for pytest to find it.
vault_sandbox_server, vault_sandbox, vault_http, async_vault_http = _fixtures_for("vault", "VAULT_API_KEY")
vortex_sandbox_server, vortex_sandbox, vortex_http, async_vortex_http = _fixtures_for("vortex", "VORTEX_API_KEY")
stripe_sandbox_server, stripe_sandbox, stripe_http, async_stripe_http = _fixtures_for("stripe", "STRIPE_API_KEY")


@pytest.fixture
def vault_client(vault_sandbox: SandboxHandle) -> Iterator[Any]:
    """A `vault_auth.VaultAuth` pointed at the emptied Vault sandbox (fast retries; closed after the test)."""
    from vault_auth import VaultAuth

    with VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, retry_delay=0.01) as client:
        yield client


@pytest.fixture
async def async_vault_client(vault_sandbox: SandboxHandle) -> AsyncIterator[Any]:
    """The `AsyncVaultAuth` twin of `vault_client`."""
    from vault_auth import AsyncVaultAuth

    async with AsyncVaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, retry_delay=0.01) as client:
        yield client


@pytest.fixture
async def vortex_client(vortex_sandbox: SandboxHandle) -> AsyncIterator[Any]:
    """A `vortex_sdk.Vortex` pointed at the emptied Vortex sandbox (fast retries); both its pools closed after."""
    from vortex_sdk import Vortex

    async with Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url, retry_delay=0.01) as client:
        yield client
