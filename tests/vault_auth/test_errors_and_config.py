"""Client options, every error class triggered for real (sandbox faults and bad input), tracing and secrets."""

from __future__ import annotations

import logging

import httpx
import pytest

from sdk_runtime import SDKError
from sdk_sandbox.pytest_plugin import SandboxHandle
from vault_auth import VaultAuth, VaultAuthError
from vault_auth.errors import (
    AuthenticationError,
    AuthorizationError,
    ConfigurationError,
    NotFoundError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    ValidationError,
    VaultConnectionError,
    VaultTimeoutError,
)


@pytest.fixture
def vault(vault_sandbox: SandboxHandle) -> VaultAuth:
    return VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, retry_delay=0.01)


@pytest.mark.usefixtures("no_configured_credentials")
def test_the_seeds_seven_options_and_their_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    vault = VaultAuth(api_key="vault_m2m_your_key_here")
    config = vault._http.config
    assert (config.base_url, config.timeout.read, config.retry.max_retries, config.retry.retry_delay) == (
        "https://api.vault.dev", 30.0, 3, 1.0,
    )  # fmt: skip
    assert (config.request_id, vault.jwks_cache_ttl) == (None, 3600.0)
    custom = VaultAuth(
        api_key="vault_m2m_...", base_url="https://api.vault.dev", timeout=60.0, max_retries=5, retry_delay=2.0,
        request_id="trace-123",
    )  # fmt: skip
    assert (custom._http.config.timeout.read, custom._http.config.retry.max_retries) == (60.0, 5)
    assert custom._http.config.request_id == "trace-123"


@pytest.mark.usefixtures("no_configured_credentials")
def test_api_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULT_API_KEY", "vault_m2m_from_env_123")
    assert VaultAuth()._http.config.api_key.reveal() == "vault_m2m_from_env_123"
    monkeypatch.delenv("VAULT_API_KEY")
    with pytest.raises(ConfigurationError, match="VAULT_API_KEY"):
        VaultAuth()


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"api_key": "sk_live_123456"}, "vault_m2m_"),
        ({"api_key": ""}, "API key is required"),
        ({"api_key": "vault_m2m_x", "timeout": 0}, "timeout"),
        ({"api_key": "vault_m2m_x", "max_retries": -1}, "max_retries"),
        ({"api_key": "vault_m2m_x", "base_url": "not a url"}, "base_url"),
        ({"api_key": "vault_m2m_x", "jwks_cache_ttl": 0}, "jwks_cache_ttl"),
        ({"api_key": "vault_m2m_x", "request_id": "two words"}, "request_id"),
    ],
)
def test_bad_options_fail_at_construction(options: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match) as caught:
        VaultAuth(**options)  # type: ignore[arg-type]
    assert isinstance(caught.value, VaultAuthError) and isinstance(caught.value, ValueError)


def test_wrong_api_key_is_an_authentication_error(vault_sandbox: SandboxHandle) -> None:
    with pytest.raises(AuthenticationError) as caught:
        VaultAuth(api_key="vault_m2m_wrong_key", base_url=vault_sandbox.url).users.list()
    assert caught.value.status_code == 401


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        ({"kind": "status", "status": 403}, AuthorizationError, 403),
        ({"kind": "status", "status": 500, "count": 10}, ServerError, 500),
        ({"kind": "status", "status": 503, "count": 10}, ServerError, 503),
        ({"kind": "status", "status": 418}, VaultAuthError, 418),
        ({"kind": "malformed", "count": 10}, ResponseValidationError, 200),
        ({"kind": "html", "count": 10}, ServerError, 502),
        ({"kind": "drop", "count": 10}, VaultConnectionError, None),
    ],
)
def test_each_failure_maps_to_its_error_class(
    vault: VaultAuth, vault_sandbox: SandboxHandle, fault: dict[str, object], error: type[Exception], status: int | None
) -> None:
    vault_sandbox.control("POST", "/sandbox/faults", fault)
    with pytest.raises(error) as caught:
        vault.users.list()
    assert isinstance(caught.value, VaultAuthError)
    assert getattr(caught.value, "status_code", None) == status


def test_rate_limits_carry_retry_after(vault: VaultAuth, vault_sandbox: SandboxHandle) -> None:
    vault_sandbox.inject_fault("status", count=10, status=429, retry_after=3600)
    with pytest.raises(RateLimitError) as caught:
        vault.users.list()
    assert (caught.value.retry_after, caught.value.error_code) == (3600, "RATE_LIMITED")


def test_transient_failures_are_retried_to_success(vault: VaultAuth, vault_sandbox: SandboxHandle) -> None:
    vault_sandbox.inject_fault("status", count=2, status=503)
    assert vault.users.list().total == 0


def test_timeouts_become_timeout_errors(vault: VaultAuth, vault_sandbox: SandboxHandle) -> None:
    vault_sandbox.inject_fault("delay", count=5, delay=0.5)
    with pytest.raises(VaultTimeoutError):
        vault.with_options(timeout=0.1, max_retries=1).users.list()


def test_validation_and_not_found_are_triggered_by_bad_input(vault: VaultAuth) -> None:
    with pytest.raises(ValidationError) as invalid:
        vault.users.create(email="user@example.com", password="short")
    assert invalid.value.field_errors == {"password": ["must be at least 8 characters"]}
    with pytest.raises(NotFoundError) as missing:
        vault.organizations.get_by_slug("no-such-org")
    assert (missing.value.resource_type, missing.value.resource_id) == ("organization", "no-such-org")


def test_request_id_is_sent_and_reported(vault_sandbox: SandboxHandle) -> None:
    seen: list[str] = []
    client = httpx.Client(event_hooks={"request": [lambda r: seen.append(r.headers["X-Request-ID"])]})
    vault = VaultAuth(
        api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, request_id="trace-123", http_client=client
    )
    user = vault.users.create(email="t@example.com", password="secure_password")
    with pytest.raises(NotFoundError) as caught:
        vault.users.get("user_missing")
    assert seen == ["trace-123", "trace-123"]
    assert user.request_id == caught.value.request_id == "trace-123"
    vault.close()
    assert not client.is_closed
    client.close()


def test_secrets_never_appear_in_repr_errors_or_logs(
    vault_sandbox: SandboxHandle, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="vault_auth")
    vault = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, retry_delay=0.01)
    assert vault_sandbox.api_key not in repr(vault)
    vault_sandbox.inject_fault("status", count=1, status=500)
    vault.users.list()
    with pytest.raises(SDKError) as caught:
        vault.users.create(email="x@example.com", password="p4ssw0rd-secret")
        vault.users.create(email="x@example.com", password="p4ssw0rd-secret")
    text = f"{caught.value} {caught.value!r} {caught.value.details} {caplog.text}"
    assert vault_sandbox.api_key not in text
    assert "p4ssw0rd-secret" not in text
    assert caplog.records
