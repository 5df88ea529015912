"""Seed 001's examples, run as written against the sandbox (only IDs and the base_url differ)."""

from __future__ import annotations

from typing import Any

from sdk_sandbox.pytest_plugin import SandboxHandle
from vault_auth import VaultAuth


def test_quick_start_user_organization_session_and_token_sections(vault_sandbox: SandboxHandle, capsys: Any) -> None:
    vault = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url)

    # Quick Start
    new_user = vault.users.create(email="user@example.com", password="secure_password", first_name="John",
                                  last_name="Doe")  # fmt: skip
    user = vault.users.get(new_user.id)
    user = vault.verify_token(vault_sandbox.mint_token(new_user.id))
    print(user.email)

    # User Management
    users_page = vault.users.list(page=1, per_page=20)
    for user in users_page.data:
        print(user.email)
    user = vault.users.get_by_email("user@example.com")
    vault.users.update(user_id=new_user.id, first_name="Jane", last_name="Smith")

    # Organization Management
    org = vault.organizations.create(name="Acme Corp", slug="acme-corp")
    org = vault.organizations.get(org.id)
    vault.organizations.update(org_id=org.id, name="Acme Corporation")
    vault.organizations.add_member(org.id, new_user.id, role="admin")
    vault.organizations.update_member_role(org.id, new_user.id, "owner")
    members = vault.organizations.get_members(org.id)
    memberships = vault.users.get_organizations(new_user.id)
    for membership in memberships:
        print(f"{membership.organization.name} - {membership.role}")

    # Token Verification
    token = vault_sandbox.mint_token(new_user.id, org_id=org.id)
    user = vault.verify_token(token)
    payload = vault.decode_token(token)
    print(payload.sub)  # User ID
    print(payload.org_id)  # Organization ID
    print(payload.org_role)  # Organization role
    jwks = vault.get_jwks()
    for key in jwks.keys:
        print(f"Key ID: {key.kid}, Algorithm: {key.alg}")

    # Session Management
    sessions = vault.users.get_sessions(new_user.id)
    session = vault.sessions.get(sessions[0].id)
    vault.sessions.revoke(session.id)
    vault.sessions.revoke_all_user_sessions(new_user.id)

    # Removing what was made
    vault.organizations.remove_member(org.id, new_user.id)
    vault.organizations.delete(org.id)
    vault.users.delete(new_user.id)

    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["user@example.com", "user@example.com"]
    assert "Acme Corporation - owner" in out
    assert out[out.index("Acme Corporation - owner") + 1 : out.index("Acme Corporation - owner") + 4] == [
        new_user.id, org.id, "owner",
    ]  # fmt: skip
    assert sum(line.startswith("Key ID: ") for line in out) == 3
    assert [m.role for m in members] == ["owner"]
    assert vault.users.list().total == 0
