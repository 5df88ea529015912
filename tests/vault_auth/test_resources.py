"""Every resource method of `VaultAuth` and `AsyncVaultAuth` against the Vault sandbox over loopback.

Each scenario is written once and runs with both clients: `await maybe(x)` awaits the async client's coroutines
and passes the sync client's results through.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from vault_auth import AsyncVaultAuth, VaultAuthError
from vault_auth.errors import NotFoundError, ValidationError
from vault_auth.types import Organization, OrganizationMembership, Session, User


async def maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def collect(page_or_paginator: Any) -> list[Any]:
    if hasattr(page_or_paginator, "__aiter__") and not isinstance(page_or_paginator, list):
        try:
            return [item async for item in page_or_paginator]
        except TypeError:
            pass
    return list(page_or_paginator)


@pytest.fixture(params=["sync", "async"])
def vault(request: pytest.FixtureRequest) -> Any:
    """The plugin's `vault_client` or `async_vault_client`."""
    return request.getfixturevalue("vault_client" if request.param == "sync" else "async_vault_client")


async def test_users_round_trip(vault: Any) -> None:
    user = await maybe(vault.users.create(email="user@example.com", password="secure_password", first_name="John",
                                          last_name="Doe"))  # fmt: skip
    assert isinstance(user, User)
    assert (user.email, user.full_name, user.status, user.email_verified) == (
        "user@example.com",
        "John Doe",
        "active",
        False,
    )
    assert user.request_id
    assert await maybe(vault.users.get(user.id)) == user
    assert (await maybe(vault.users.get_by_email("user@example.com"))).id == user.id
    updated = await maybe(vault.users.update(user_id=user.id, first_name="Jane", last_name="Smith"))
    assert updated.full_name == "Jane Smith"
    await maybe(vault.users.update_password(user.id, "another_password"))
    await maybe(vault.users.delete(user.id))
    with pytest.raises(NotFoundError) as caught:
        await maybe(vault.users.get(user.id))
    assert (caught.value.resource_type, caught.value.resource_id, caught.value.status_code) == ("user", user.id, 404)


async def test_users_list_pages_and_walks_every_user(vault: Any) -> None:
    for n in range(5):
        await maybe(vault.users.create(email=f"u{n}@example.com", password="secure_password"))
    page = await maybe(vault.users.list(page=1, per_page=2))
    assert (len(page.data), page.total, page.has_more, page.page, page.per_page) == (2, 5, True, 1, 2)
    everyone = await collect(vault.users.list(per_page=2) if isinstance(vault, AsyncVaultAuth) else page)
    assert [u.email for u in everyone] == [f"u{n}@example.com" for n in range(5)]


async def test_organizations_and_members(vault: Any) -> None:
    user = await maybe(vault.users.create(email="member@example.com", password="secure_password"))
    org = await maybe(vault.organizations.create(name="Acme Corp", slug="acme-corp"))
    assert isinstance(org, Organization) and org.slug == "acme-corp"
    assert await maybe(vault.organizations.get(org.id)) == org
    assert await maybe(vault.organizations.get_by_slug("acme-corp")) == org
    assert (await maybe(vault.organizations.update(org_id=org.id, name="Acme Corporation"))).name == "Acme Corporation"
    added = await maybe(vault.organizations.add_member(org.id, user.id, role="admin"))
    assert isinstance(added, OrganizationMembership) and added.role == "admin"
    assert (await maybe(vault.organizations.update_member_role(org.id, user.id, "owner"))).role == "owner"
    members = await maybe(vault.organizations.get_members(org.id))
    assert [(m.user_id, m.role) for m in members] == [(user.id, "owner")]
    memberships = await maybe(vault.users.get_organizations(user.id))
    assert [f"{m.organization.name} - {m.role}" for m in memberships] == ["Acme Corporation - owner"]
    organizations = await collect(await maybe(vault.organizations.list(page=1, per_page=10)))
    assert [o.id for o in organizations] == [org.id]
    await maybe(vault.organizations.remove_member(org.id, user.id))
    assert await maybe(vault.organizations.get_members(org.id)) == []
    await maybe(vault.organizations.delete(org.id))
    with pytest.raises(NotFoundError):
        await maybe(vault.organizations.get(org.id))


async def test_sessions(vault: Any, vault_sandbox: SandboxHandle) -> None:
    user = await maybe(vault.users.create(email="s@example.com", password="secure_password"))
    vault_sandbox.mint_token(user.id)
    vault_sandbox.mint_token(user.id)
    sessions = await maybe(vault.users.get_sessions(user.id))
    assert len(sessions) == 2 and all(isinstance(s, Session) and s.is_active for s in sessions)
    await maybe(vault.sessions.revoke(sessions[0].id))
    assert (await maybe(vault.sessions.get(sessions[0].id))).is_active is False
    assert await maybe(vault.sessions.revoke_all_user_sessions(user.id)) == 1
    assert not any(s.is_active for s in await maybe(vault.users.get_sessions(user.id)))


async def test_jwks_and_health(vault: Any) -> None:
    jwks = await maybe(vault.get_jwks())
    assert {key.alg for key in jwks.keys} == {"RS256", "ES256", "EdDSA"}
    assert all(key.kid for key in jwks.keys)
    assert await maybe(vault.health_check()) == {"status": "ok"}


async def test_server_validation_errors_carry_field_errors(vault: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        await maybe(vault.users.create(email="not-an-email", password="secure_password"))
    assert caught.value.status_code == 400
    assert "email" in caught.value.field_errors


async def test_conflicts_are_vault_errors(vault: Any) -> None:
    await maybe(vault.users.create(email="dup@example.com", password="secure_password"))
    with pytest.raises(VaultAuthError) as caught:
        await maybe(vault.users.create(email="dup@example.com", password="secure_password"))
    assert (caught.value.status_code, caught.value.error_code) == (409, "CONFLICT")


@pytest.mark.parametrize("bad_id", ["..", ".", "", "   "])
async def test_bad_ids_are_refused_before_sending(vault: Any, bad_id: str) -> None:
    with pytest.raises(ValidationError):
        await maybe(vault.users.get(bad_id))


@pytest.mark.parametrize("tricky_id", ["a/b", "%2e%2e", "../organizations", "x?y=1#z"])
async def test_path_tricks_never_reach_another_endpoint(vault: Any, tricky_id: str) -> None:
    with pytest.raises((NotFoundError, ValidationError)) as caught:
        await maybe(vault.users.get(tricky_id))
    if isinstance(caught.value, NotFoundError):
        assert caught.value.resource_type == "user" or caught.value.status_code == 404


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda v: v.users.list(page=0), ValidationError),
        (lambda v: v.users.list(per_page=1000), ValidationError),
        (lambda v: v.organizations.add_member("org_1", "user_1", role="god"), ValidationError),
        (lambda v: v.users.create(email="", password="secure_password"), ValidationError),
        (lambda v: v.users.update("user_1", metadata=["not", "a", "mapping"]), ValidationError),
    ],
)
async def test_bad_arguments_fail_before_any_request(vault: Any, call: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        await maybe(call(vault))
