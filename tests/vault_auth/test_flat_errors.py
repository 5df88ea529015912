"""Vault's older flat error shape maps onto the same error classes as the nested one (MockTransport unit test)."""

from __future__ import annotations

import httpx
import pytest

from vault_auth import VaultAuth
from vault_auth.errors import NotFoundError, RateLimitError, ValidationError


def client_answering(status: int, body: object, headers: dict[str, str] | None = None) -> VaultAuth:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body, headers=headers))
    return VaultAuth(api_key="vault_m2m_test", base_url="https://vault.test", max_retries=0,
                     http_client=httpx.Client(transport=transport))  # fmt: skip


def test_flat_not_found() -> None:
    body = {"message": "User not found", "code": "NOT_FOUND", "details": {"resource_type": "user", "resource_id": "u1"}}
    with pytest.raises(NotFoundError) as caught:
        client_answering(404, body).users.get("u1")
    assert (caught.value.message, caught.value.resource_type, caught.value.resource_id) == (
        "User not found",
        "user",
        "u1",
    )


def test_flat_validation_error_carries_field_errors() -> None:
    body = {"message": "Validation failed", "code": "VALIDATION_ERROR", "details": {"fields": {"email": ["taken"]}}}
    with pytest.raises(ValidationError) as caught:
        client_answering(400, body).users.create(email="a@example.com", password="secure_password")
    assert caught.value.field_errors == {"email": ["taken"]}


def test_rate_limit_without_retry_after_defaults_to_60_seconds() -> None:
    with pytest.raises(RateLimitError) as caught:
        client_answering(429, {"message": "slow down"}).users.list()
    assert caught.value.retry_after == 60
