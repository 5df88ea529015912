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
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

import httpx
import pytest

from .runner import BackgroundServer, bind, url_of
from .server import SandboxApp

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


class SandboxHandle:
    """A running sandbox and the control calls tests need."""

    def __init__(self, app: SandboxApp, url: str, root_url: str) -> None:
        self.app = app
        self.url = url
        """The API's base URL (what an SDK's `base_url` is set to); control endpoints live under `root_url`."""
        self.api_key = next(iter(app.api_keys))
        self.root_url = root_url
        """The sandbox server's own root (its `/sandbox/` control endpoints and pages)."""
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

    def create_template(
        self, name: str, data_variables: Sequence[str] = (), *, template_id: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Loops only: publish a transactional template requiring `data_variables` (`subject=`, `body=` with
        `{{var}}` slots); returns it with its `id`."""
        body = {"name": name, "dataVariables": list(data_variables), **fields}
        if template_id is not None:
            body["id"] = template_id
        template: dict[str, Any] = self.control("POST", "/sandbox/transactional", body)
        return template

    def create_mailing_list(self, name: str, *, list_id: str | None = None, **fields: Any) -> dict[str, Any]:
        """Loops only: a mailing list (`description=`, `isPublic=`); returns it with its `id`."""
        body = {"name": name, **fields, **({"id": list_id} if list_id is not None else {})}
        mailing_list: dict[str, Any] = self.control("POST", "/sandbox/lists", body)
        return mailing_list

    def outbox(self) -> list[dict[str, Any]]:
        """Loops only: every e-mail sent so far, oldest first (see `loops/control.yaml` for the fields)."""
        emails: list[dict[str, Any]] = self.control("GET", "/sandbox/outbox")["emails"]
        return emails

    def clear_outbox(self) -> None:
        """Loops only: empty the outbox."""
        self.control("DELETE", "/sandbox/outbox")

    def events(self) -> list[dict[str, Any]]:
        """Loops only: every event received through `POST /events/send`, oldest first."""
        events: list[dict[str, Any]] = self.control("GET", "/sandbox/events")["events"]
        return events

    def update_account(self, **settings: Any) -> dict[str, Any]:
        """Loops only: `teamName=`, `attachmentsEnabled=`."""
        account: dict[str, Any] = self.control("PUT", "/sandbox/account", settings)
        return account

    def set_rate_limit(
        self, limit: int | None = None, *, window_seconds: float | None = None, enabled: bool | None = None
    ) -> dict[str, Any]:
        """Loops only: requests per window (default 10 per 1 s), or `enabled=False` for no limit."""
        given = {"limit": limit, "windowSeconds": window_seconds, "enabled": enabled}
        settings: dict[str, Any] = self.control(
            "PUT", "/sandbox/rate-limit", {k: v for k, v in given.items() if v is not None}
        )
        return settings

    def set_recipient_outcome(self, email: str, outcome: str) -> None:
        """Loops only: `delivered`, `hardBounced`, `softBounced` or `spamReported` for mail sent to `email`."""
        self.control("PUT", "/sandbox/recipients", {"email": email, "outcome": outcome})

    def set_webhook(self, url: str, secret: str | None = None, **options: Any) -> dict[str, Any]:
        """Loops only: deliver events to `url` (`attempts=`, `backoffSeconds=`, `timeoutSeconds=`); returns the
        endpoint with its `whsec_` `secret` (minted unless given)."""
        body = {"url": url, **options, **({"secret": secret} if secret is not None else {})}
        endpoint: dict[str, Any] = self.control("PUT", "/sandbox/webhook", body)
        return endpoint

    def send_webhook_event(self, event_name: str, /, email: str | None = None, **fields: Any) -> dict[str, Any]:
        """Loops only: deliver any event by name to the registered endpoint; returns its `id` and `payload`."""
        body: dict[str, Any] = {"eventName": event_name, "fields": fields}
        if email is not None:
            body["email"] = email
        queued: dict[str, Any] = self.control("POST", "/sandbox/webhook/send", body)
        return queued

    def sign_webhook(self, payload: dict[str, Any], secret: str | None = None) -> dict[str, Any]:
        """Loops only: `{id, timestamp, body, headers}` of a signed delivery of `payload`, without sending it."""
        body: dict[str, Any] = {"payload": payload, **({"secret": secret} if secret is not None else {})}
        signed: dict[str, Any] = self.control("POST", "/sandbox/webhook/sign", body)
        return signed

    def webhook_deliveries(self, wait_for: int = 0, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Loops only: every delivery attempt so far; with `wait_for`, polls until that many 2xx attempts exist
        (raising `TimeoutError` after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            deliveries: list[dict[str, Any]] = self.control("GET", "/sandbox/webhook/deliveries")["deliveries"]
            delivered = [d for d in deliveries if d["status"] is not None and 200 <= d["status"] < 300]
            if len(delivered) >= wait_for:
                return deliveries
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(delivered)} of {wait_for} webhook deliveries succeeded: {deliveries}")
            time.sleep(0.02)

    @property
    def account_sid(self) -> str:
        """Twilio only: the sandbox account's SID (`AC...`)."""
        sid: str = self.app.extra["account_sid"]
        return sid

    @property
    def auth_token(self) -> str:
        """Twilio only: the sandbox account's auth token (it also signs the status callbacks)."""
        token: str = self.app.extra["auth_token"]
        return token

    def advance_message(self, sid: str, to: str | None = None) -> dict[str, Any]:
        """Twilio only: move a message to its next state now, or through every state up to `to`."""
        message: dict[str, Any] = self.control("POST", f"/sandbox/messages/{sid}/advance", {"to": to} if to else {})
        return message

    def fail_message(self, sid: str, status: str | None = None, error_code: int = 30003) -> dict[str, Any]:
        """Twilio only: end a message `failed` (before sent) or `undelivered` (after) with `error_code`."""
        body: dict[str, Any] = {"error_code": error_code, **({"status": status} if status else {})}
        message: dict[str, Any] = self.control("POST", f"/sandbox/messages/{sid}/fail", body)
        return message

    def callbacks(self, sid: str | None = None) -> list[dict[str, Any]]:
        """Twilio only: every status callback queued or sent (for one message when `sid` is given), oldest first."""
        path = "/sandbox/callbacks" + (f"?MessageSid={sid}" if sid else "")
        found: list[dict[str, Any]] = self.control("GET", path)["callbacks"]
        return found

    def wait_for_callbacks(self, count: int, sid: str | None = None, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Twilio only: the callbacks once at least `count` have been attempted; AssertionError after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            done = [c for c in self.callbacks(sid) if c["state"] != "pending"]
            if len(done) >= count:
                return done
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(done)} of {count} status callbacks delivered within {timeout}s")
            time.sleep(0.02)

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

    def alias(self, alias: str, object_id: str) -> dict[str, Any]:
        """Stripe only: let `alias` (a guide's placeholder ID, `cus_1234567890`) name the object `object_id`."""
        answer: dict[str, Any] = self.control("POST", "/sandbox/stripe/aliases", {"alias": alias, "id": object_id})
        return answer

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

    schemes = handle.app.api.spec.security_schemes
    scheme = schemes.get("apiKeyAuth")
    auth = AuthScheme(header=scheme["name"], prefix=None) if scheme else AuthScheme()
    key = handle.api_key
    if "auth_token" in handle.app.extra:
        key = f"{handle.account_sid}:{handle.auth_token}"
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


# Each fixture must be a module attribute of its own for pytest to find it.
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
