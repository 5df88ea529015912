"""Fixtures of the framework-integration tests: Vault tokens from the sandbox and Django's test settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle

from .tokens import Tokens

EXCLUDED = ["/health", "/public"]  # as seed 001 writes them: /public covers /public/info


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


@pytest.fixture
def django_settings(django_db: Path, vault_sandbox: SandboxHandle) -> Iterator[Any]:
    """The middleware-test URLconf and Vault settings over the example project's; `.enable()`d for the test."""
    from django.test import override_settings

    def configure(middleware: bool) -> Any:
        stack = ["vault_auth.middleware.django.VaultAuthMiddleware"] if middleware else []
        return override_settings(
            ROOT_URLCONF="tests.middleware.django_urls",
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware", *stack],
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
