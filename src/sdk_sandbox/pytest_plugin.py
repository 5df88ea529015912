"""pytest plugin (entry point `pytest11`): sandboxes on free loopback ports, each started once per test session.

Fixtures:
    vault_sandbox_server  session-wide: the running server (`.url`, `.api_key`, `.mint_token()`, `.reset()`, ...)
    vault_sandbox         the same server, reset to an empty state before the test
    vault_http            a `sdk_runtime.SyncAPIClient` configured for the sandbox (closed after the test)
    async_vault_http      the `AsyncAPIClient` twin
    vortex_sandbox_server, vortex_sandbox, vortex_http, async_vortex_http
                          the same for the Vortex sandbox (`.create_invitation()` adds test data)
    loops_sandbox_server, loops_sandbox, loops_http, async_loops_http
                          the same for the Loops sandbox (`.create_template()`, `.outbox()`, `.set_webhook()`,
                          `.webhook_deliveries()`, ...; 10 requests/s unless `.set_rate_limit()` says otherwise)
    twilio_sandbox_server, twilio_sandbox, twilio_http, async_twilio_http
                          the same for the Twilio sandbox (`.account_sid`, `.auth_token`, `.advance_message()`,
                          `.fail_message()`, `.callbacks()`, `.wait_for_callbacks()`)
    stripe_sandbox_server, stripe_sandbox, stripe_http, async_stripe_http
                          the same for the Stripe sandbox (`.complete_checkout()`, `.trigger()`, `.advance()`,
                          `.fail_next_payment()`, `.deliveries()`, `.delivery_settings()`, `.wait_for_deliveries()`)
    vault_client          a `vault_auth.VaultAuth` for the emptied Vault sandbox       (when vault-auth is installed)
    async_vault_client    the `AsyncVaultAuth` twin                                    (when vault-auth is installed)
    vortex_sync_client    a `vortex_sdk.Vortex` for the emptied Vortex sandbox, for sync tests and the `_sync`
                          methods (Flask, Django)                                      (when vortex-python-sdk is)
    vortex_client         the same, as an async fixture that closes both pools on the test's loop

What it needs: pytest (it is a pytest plugin) and, for the async fixtures (`async_*`, `vortex_client`),
pytest-asyncio: `pip install "sdk-sandbox[pytest]"` installs both. The async fixtures are pytest-asyncio fixtures, so
they work in its default strict mode (mark async tests `@pytest.mark.asyncio`) as in auto mode; without pytest-asyncio
they fail with a message saying so, and the sync fixtures work alone. The sandbox package depends on no SDK facade:
`vault_client` and friends exist only when their facade is importable.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from .handle import SandboxHandle
from .loops.handle import LoopsHandle
from .runner import BackgroundServer, bind, url_of
from .server import SandboxApp
from .stripe.handle import StripeHandle
from .twilio.handle import TwilioHandle
from .vault.handle import VaultHandle
from .vortex.handle import VortexHandle

try:  # the async fixtures are pytest-asyncio's, so that they work in its strict mode as well as in auto mode
    import pytest_asyncio
except ImportError:  # pragma: no cover - exercised in a subprocess without pytest-asyncio
    pytest_asyncio = None  # type: ignore[assignment]


def async_fixture(*, name: str) -> Callable[[Callable[..., Any]], Any]:
    """An async fixture: pytest-asyncio's when it is installed; otherwise one that fails saying what to install."""

    def declare(function: Callable[..., Any]) -> Any:
        if pytest_asyncio is not None:
            return pytest_asyncio.fixture(name=name)(function)

        @pytest.fixture(name=name)
        def needs_pytest_asyncio() -> None:
            pytest.fail(
                f"the {name} fixture is async and needs pytest-asyncio: pip install 'sdk-sandbox[pytest]' "
                "(or use the sync fixtures)",
                pytrace=False,
            )

        needs_pytest_asyncio.__doc__ = function.__doc__
        return needs_pytest_asyncio

    return declare


def facade_installed(module: str) -> bool:
    """Whether an SDK facade (`vault_auth`, `vortex_sdk`) can be imported, found without importing it."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


HANDLES: dict[str, type[SandboxHandle]] = {
    "vault": VaultHandle,
    "vortex": VortexHandle,
    "loops": LoopsHandle,
    "twilio": TwilioHandle,
    "stripe": StripeHandle,
}
"""The handle each API's fixtures hand out: the shared control calls plus that API's own."""


def _serve(app: SandboxApp) -> Iterator[SandboxHandle]:
    sock = bind()
    server = BackgroundServer([(app, sock)])
    server.start()
    app.root_url = app.root_url or url_of(sock)  # where the sandbox's own pages are (Stripe's checkout)
    handle = HANDLES.get(app.api.name, SandboxHandle)(app, url_of(sock, app.api.spec.base_path), url_of(sock))
    try:
        yield handle
    finally:
        handle.close()
        server.stop()  # also closes the app: its delivery workers stop


def _runtime_config(handle: SandboxHandle, env: str) -> Any:
    from sdk_runtime import AuthScheme, ClientConfig

    schemes = handle.app.api.spec.security_schemes
    scheme = schemes.get("apiKeyAuth")
    auth = AuthScheme(header=scheme["name"], prefix=None) if scheme else AuthScheme()
    key = handle.runtime_api_key
    if any(str(s.get("scheme", "")).lower() == "basic" for s in schemes.values()):
        import base64

        auth, key = AuthScheme(prefix="Basic"), base64.b64encode(key.encode()).decode()
    return ClientConfig.create(
        api_key=key, api_key_env=env, base_url=handle.url, sdk_name="sandbox-tests", sdk_version="0",
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

    @async_fixture(name=f"async_{api}_http")
    async def async_http(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
        """The `AsyncAPIClient` twin of the `*_http` fixture."""
        from sdk_runtime import AsyncAPIClient

        async with AsyncAPIClient(_runtime_config(request.getfixturevalue(f"{api}_sandbox"), api_key_env)) as client:
            yield client

    return server, sandbox, http, async_http


# Each fixture must be a module attribute of its own for pytest to find it. pytest injects them by name and tests
# never call them, so their type says no more than `object`.
vault_sandbox_server: object
vault_sandbox: object
vault_http: object
async_vault_http: object
vortex_sandbox_server: object
vortex_sandbox: object
vortex_http: object
async_vortex_http: object
loops_sandbox_server: object
loops_sandbox: object
loops_http: object
async_loops_http: object
twilio_sandbox_server: object
twilio_sandbox: object
twilio_http: object
async_twilio_http: object
stripe_sandbox_server: object
stripe_sandbox: object
stripe_http: object
async_stripe_http: object
vault_sandbox_server, vault_sandbox, vault_http, async_vault_http = _fixtures_for("vault", "VAULT_API_KEY")
vortex_sandbox_server, vortex_sandbox, vortex_http, async_vortex_http = _fixtures_for("vortex", "VORTEX_API_KEY")
loops_sandbox_server, loops_sandbox, loops_http, async_loops_http = _fixtures_for("loops", "LOOPS_API_KEY")
twilio_sandbox_server, twilio_sandbox, twilio_http, async_twilio_http = _fixtures_for("twilio", "TWILIO_AUTH_TOKEN")
stripe_sandbox_server, stripe_sandbox, stripe_http, async_stripe_http = _fixtures_for("stripe", "STRIPE_API_KEY")


if facade_installed("vault_auth"):

    @pytest.fixture
    def vault_client(vault_sandbox: SandboxHandle) -> Iterator[Any]:
        """A `vault_auth.VaultAuth` pointed at the emptied Vault sandbox (fast retries; closed after the test)."""
        from vault_auth import VaultAuth

        with VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, retry_delay=0.01) as client:
            yield client

    @async_fixture(name="async_vault_client")
    async def async_vault_client(vault_sandbox: SandboxHandle) -> AsyncIterator[Any]:
        """The `AsyncVaultAuth` twin of `vault_client` (closed on the test's event loop)."""
        from vault_auth import AsyncVaultAuth

        url = vault_sandbox.url
        async with AsyncVaultAuth(api_key=vault_sandbox.api_key, base_url=url, retry_delay=0.01) as client:
            yield client


if facade_installed("vortex_sdk"):

    @pytest.fixture
    def vortex_sync_client(vortex_sandbox: SandboxHandle) -> Iterator[Any]:
        """A `vortex_sdk.Vortex` pointed at the emptied Vortex sandbox, for sync tests (`*_sync` methods)."""
        from vortex_sdk import Vortex

        with Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url, retry_delay=0.01) as client:
            yield client

    @async_fixture(name="vortex_client")
    async def vortex_client(vortex_sandbox: SandboxHandle) -> AsyncIterator[Any]:
        """A `vortex_sdk.Vortex` pointed at the emptied Vortex sandbox (fast retries); both its pools closed after,
        on the test's event loop."""
        from vortex_sdk import Vortex

        async with Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url, retry_delay=0.01) as client:
            yield client
