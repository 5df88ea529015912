"""Fixtures of the framework-integration tests: Vault tokens from the sandbox and one driver per entry point."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sdk_sandbox.pytest_plugin import SandboxHandle

EXCLUDED = ["/health", "/public"]  # as seed 001 writes them: /public covers /public/info


@attrs.frozen
class Tokens:
    """Tokens minted by the Vault sandbox for one organization."""

    member: str
    admin: str
    expired: str
    admin_email: str


@pytest.fixture
def tokens(vault_client: Any, vault_sandbox: SandboxHandle) -> Tokens:
    """A member's and an admin's token, and an expired one."""
    org = vault_client.organizations.create(name="Acme", slug="acme")
    minted = {}
    for email, role in (("member@example.com", "member"), ("admin@example.com", "admin")):
        user = vault_client.users.create(email=email, password="correct horse battery")
        vault_client.organizations.add_member(org.id, user.id, role=role)
        minted[role] = vault_sandbox.mint_token(user.id, org_id=org.id)
    vault_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": -7200})
    expired = vault_sandbox.mint_token(user.id, expires_in=600)
    vault_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": 0})
    return Tokens(minted["member"], minted["admin"], expired, "admin@example.com")


@attrs.frozen
class Answer:
    """What an app answered."""

    status: int
    headers: Any
    body: Any


class Driver:
    """Sends requests to one app through its framework's test client."""

    def __init__(self, send: Any, envelope: str, close: Any = None) -> None:
        self._send, self.envelope, self._close = send, envelope, close

    def call(self, path: str, headers: Sequence[tuple[str, str]] = (), method: str = "GET") -> Answer:
        """One request."""
        answer: Answer = self._send(method, path, list(headers))
        return answer

    def error(self, answer: Answer) -> str | None:
        """The RFC 6750 `error` code of a refusal, in this integration's envelope."""
        body = answer.body or {}
        inner = body.get("detail") if self.envelope == "detail" else body
        return inner.get("error") if isinstance(inner, dict) else None

    def close(self) -> None:
        """Release the test client."""
        if self._close is not None:
            self._close()


def flask_driver(app: Any) -> Driver:
    """Flask's test client."""
    client = app.test_client()

    def send(method: str, path: str, headers: list[tuple[str, str]]) -> Answer:
        response = client.open(path, method=method, headers=headers)
        return Answer(response.status_code, response.headers, response.get_json(silent=True))

    return Driver(send, "flat")


def fastapi_driver(app: Any) -> Driver:
    """Starlette's TestClient, one event loop for the whole test (entered as a context)."""
    from fastapi.testclient import TestClient

    client = TestClient(app)
    client.__enter__()

    def send(method: str, path: str, headers: list[tuple[str, str]]) -> Answer:
        response = client.request(method, path, headers=headers)
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else None
        return Answer(response.status_code, response.headers, body)

    return Driver(send, "detail", lambda: client.__exit__(None, None, None))


def django_driver(asynchronous: bool) -> Driver:
    """Django's Client (WSGI handler) or AsyncClient (ASGI handler, on one event loop for the test)."""
    import json

    from django.test import AsyncClient, Client

    loop = asyncio.new_event_loop() if asynchronous else None
    client = AsyncClient() if asynchronous else Client()

    def send(method: str, path: str, headers: list[tuple[str, str]]) -> Answer:
        merged: dict[str, str] = {}
        for name, value in headers:  # Django's client takes one value per header, as WSGI servers join them
            merged[name] = f"{merged[name]},{value}" if name in merged else value
        request = client.generic(method, path, headers=merged)
        response = loop.run_until_complete(request) if loop is not None else request
        body = json.loads(response.content) if response.get("Content-Type", "").startswith("application/json") else None
        return Answer(response.status_code, response.headers, body)

    return Driver(send, "flat", loop.close if loop is not None else None)


@pytest.fixture
def django_settings(django_db: Path, vault_sandbox: SandboxHandle) -> Iterator[Any]:
    """The middleware-test URLconf and Vault settings over the example project's; `.enable()`d for the test."""
    from django.test import override_settings

    def configure(middleware: bool) -> Any:
        stack = ["vault_auth.middleware.django.VaultAuthMiddleware"] if middleware else []
        return override_settings(
            ROOT_URLCONF="django_urls", MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware", *stack],
            VAULT_API_KEY=vault_sandbox.api_key, VAULT_BASE_URL=vault_sandbox.url, VAULT_EXCLUDED_PATHS=EXCLUDED,
            REST_FRAMEWORK={"UNAUTHENTICATED_USER": None},  # the example project has no django.contrib.auth
        )  # fmt: skip

    active: list[Any] = []

    def enable(middleware: bool = True) -> None:
        override = configure(middleware)
        override.enable()
        active.append(override)

    yield enable
    for override in reversed(active):
        override.disable()


@pytest.fixture
def fresh_fastapi_default(monkeypatch: pytest.MonkeyPatch, vault_sandbox: SandboxHandle) -> None:
    """Dependencies used without the middleware configure themselves from the environment, once per test here."""
    from vault_auth.middleware import fastapi as integration

    monkeypatch.setenv("VAULT_API_KEY", vault_sandbox.api_key)
    monkeypatch.setenv("VAULT_BASE_URL", vault_sandbox.url)
    monkeypatch.setattr(integration, "_default_verifier", None)
