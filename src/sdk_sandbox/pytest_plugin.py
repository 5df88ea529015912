"""pytest plugin (entry point `pytest11`): a Vault sandbox on a free loopback port for the whole test session.

Fixtures:
    vault_sandbox_server  session-wide: the running server (`.url`, `.api_key`, `.mint_token()`, `.reset()`, ...)
    vault_sandbox         the same server, reset to an empty state before the test
    vault_http            a `sdk_runtime.SyncAPIClient` configured for the sandbox (closed after the test)
    async_vault_http      the `AsyncAPIClient` twin
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

    def __init__(self, app: SandboxApp, url: str) -> None:
        self.app = app
        self.url = url
        self.api_key = next(iter(app.api_keys))
        self._control = httpx.Client(base_url=url, timeout=10)

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

    def reset(self) -> None:
        """Back to an empty sandbox."""
        self.control("POST", "/sandbox/reset")

    def close(self) -> None:
        """Release the control client."""
        self._control.close()


@pytest.fixture(scope="session")
def vault_sandbox_server() -> Iterator[SandboxHandle]:
    """A Vault sandbox on 127.0.0.1 (free port), started once per test session and stopped at its end."""
    from .vault import build_vault_app

    app = build_vault_app()
    sock = bind()
    server = BackgroundServer([(app, sock)])
    server.start()
    handle = SandboxHandle(app, url_of(sock, app.api.spec.base_path))
    try:
        yield handle
    finally:
        handle.close()
        server.stop()


@pytest.fixture
def vault_sandbox(vault_sandbox_server: SandboxHandle) -> SandboxHandle:
    """The session's Vault sandbox, emptied before this test."""
    vault_sandbox_server.reset()
    return vault_sandbox_server


@pytest.fixture
def vault_http(vault_sandbox: SandboxHandle) -> Iterator[Any]:
    """A runtime `SyncAPIClient` pointed at the Vault sandbox with its API key."""
    from sdk_runtime import ClientConfig, SyncAPIClient

    config = ClientConfig.create(
        api_key=vault_sandbox.api_key, api_key_env="VAULT_API_KEY", base_url=vault_sandbox.url,
        sdk_name="sandbox-tests", sdk_version="0", retry_delay=0.01,
    )  # fmt: skip
    with SyncAPIClient(config) as client:
        yield client


@pytest.fixture
async def async_vault_http(vault_sandbox: SandboxHandle) -> AsyncIterator[Any]:
    """A runtime `AsyncAPIClient` pointed at the Vault sandbox with its API key."""
    from sdk_runtime import AsyncAPIClient, ClientConfig

    config = ClientConfig.create(
        api_key=vault_sandbox.api_key, api_key_env="VAULT_API_KEY", base_url=vault_sandbox.url,
        sdk_name="sandbox-tests", sdk_version="0", retry_delay=0.01,
    )  # fmt: skip
    async with AsyncAPIClient(config) as client:
        yield client
