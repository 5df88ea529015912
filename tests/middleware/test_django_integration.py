"""Django specifics (reference §6, §8.11-8.13): sync+async middleware, settings, CSRF, DRF's 401 and principal."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import iscoroutinefunction
from django.core.exceptions import ImproperlyConfigured
from django.test import AsyncClient, Client, override_settings

from vault_auth.middleware.django import VaultAuthMiddleware

from .tokens import Tokens


def test_sync_and_async_capable_without_a_thread_hop(django_settings: Any) -> None:
    django_settings(True)

    async def async_view(request: object) -> None:
        return None

    def sync_view(request: object) -> None:
        return None

    assert VaultAuthMiddleware.sync_capable and VaultAuthMiddleware.async_capable
    assert iscoroutinefunction(VaultAuthMiddleware(async_view))
    assert not iscoroutinefunction(VaultAuthMiddleware(sync_view))


def test_bearer_only_posts_are_not_refused_by_csrf(django_settings: Any, tokens: Tokens) -> None:
    django_settings(True)
    client = Client(enforce_csrf_checks=True)
    auth = {"Authorization": f"Bearer {tokens.admin}"}
    assert client.post("/drf/hello", headers=auth).status_code == 200
    django_settings(False)
    assert Client(enforce_csrf_checks=True).post("/protected", headers=auth).status_code == 200


def test_override_settings_is_honoured(django_settings: Any, tokens: Tokens) -> None:
    django_settings(True)
    assert Client().get("/hello").status_code == 401
    with override_settings(VAULT_EXCLUDED_PATHS=["/hello"]):
        assert Client().get("/hello").status_code == 200
    assert Client().get("/hello").status_code == 401


@pytest.mark.parametrize("changes", [{"VAULT_EXCLUDED_PATHS": ["health"]}, {"VAULT_API_KEY": None}])
def test_bad_configuration_is_improperly_configured(django_settings: Any, changes: dict[str, Any]) -> None:
    django_settings(True)
    with override_settings(**changes), pytest.raises(ImproperlyConfigured):
        Client().get("/hello")


def test_drf_principal_and_claims(django_settings: Any, tokens: Tokens) -> None:
    django_settings(False)
    answer = Client().get("/drf/hello", headers={"Authorization": f"Bearer {tokens.admin}"})
    assert answer.status_code == 200
    assert answer.json()["email"] == tokens.admin_email and answer.json()["sub"]


def test_drf_reuses_the_middlewares_verification(django_settings: Any, tokens: Tokens, monkeypatch: Any) -> None:
    from vault_auth.middleware.core import Verifier

    calls: list[int] = []
    original = Verifier.verify_sync

    def counting(self: Verifier, values: object) -> object:
        calls.append(1)
        return original(self, values)  # type: ignore[arg-type]

    monkeypatch.setattr(Verifier, "verify_sync", counting)
    django_settings(True)
    assert Client().get("/drf/admin", headers={"Authorization": f"Bearer {tokens.admin}"}).status_code == 200
    assert len(calls) == 1


def test_async_views_through_the_asgi_handler(django_settings: Any, tokens: Tokens) -> None:
    django_settings(True)

    async def run() -> tuple[int, int]:
        client = AsyncClient()
        ok = await client.get("/async-protected", headers={"Authorization": f"Bearer {tokens.member}"})
        refused = await client.get("/async-admin", headers={"Authorization": f"Bearer {tokens.member}"})
        return ok.status_code, refused.status_code

    assert asyncio.run(run()) == (200, 403)
