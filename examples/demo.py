"""`make demo`: the main job against the embedded sandbox.

Starts the Vault and Vortex sandboxes on loopback, walks seed 001's Vault flow with `vault_auth` (user,
organization, membership, token minting and verification, sessions, errors), shows a Vortex invitation served by
its sandbox, then stops everything. The Vortex facade and the seed's example apps join this walk with their issue.
"""

from __future__ import annotations

import sys
from typing import Any

import httpx

from sdk_sandbox.runner import BackgroundServer, bind, url_of
from sdk_sandbox.vault import build_vault_app
from sdk_sandbox.vortex import build_vortex_app
from vault_auth import VaultAuth
from vault_auth.errors import InvalidTokenError, NotFoundError


def step(title: str, result: Any = None) -> None:
    """Print one step of the walk and what it produced."""
    print(f"-> {title}")
    if result is not None:
        print(f"   {result}")


def main() -> int:
    """Run the walk; exit status 0 when every step did what it should."""
    vault_app, vortex_app = build_vault_app(), build_vortex_app()
    vault_sock, vortex_sock = bind(), bind()
    server = BackgroundServer([(vault_app, vault_sock), (vortex_app, vortex_sock)])
    server.start()
    vault_url, vortex_url = url_of(vault_sock), url_of(vortex_sock, "/api/v1")
    step("sandboxes started", f"vault {vault_url} | vortex {vortex_url}")
    try:
        with VaultAuth(api_key=next(iter(vault_app.api_keys)), base_url=vault_url) as vault:
            user = vault.users.create(email="user@example.com", password="secure_password", first_name="John",
                                      last_name="Doe")  # fmt: skip
            step("vault.users.create", f"{user.id} {user.email} ({user.full_name})")
            org = vault.organizations.create(name="Acme Corp", slug="acme-corp")
            step("vault.organizations.create", f"{org.id} {org.name} /{org.slug}")
            membership = vault.organizations.add_member(org.id, user.id, role="admin")
            step("vault.organizations.add_member", f"{membership.organization_id} role={membership.role}")
            minted = httpx.post(f"{vault_url}/sandbox/tokens", json={"user_id": user.id, "org_id": org.id}).json()
            step("sandbox minted an access token", f"kid={minted['kid']} alg={minted['alg']}")
            verified = vault.verify_token(minted["token"])
            payload = vault.decode_token(minted["token"])
            step("vault.verify_token", f"{verified.email}; org_id={payload.org_id} org_role={payload.org_role}")
            for membership in vault.users.get_organizations(user.id):
                step("vault.users.get_organizations", f"{membership.organization.name} - {membership.role}")
            vault.sessions.revoke(minted["session_id"])
            try:
                vault.verify_token(minted["token"] + "x")
            except InvalidTokenError as exc:
                step("a tampered token is refused locally", f"InvalidTokenError: {exc.message}")
            try:
                vault.users.get("user_missing")
            except NotFoundError as exc:
                step("a missing user", f"NotFoundError: {exc.resource_type} {exc.resource_id}")
            step("vault.users.list", [u.email for u in vault.users.list()])
        key = next(iter(vortex_app.api_keys))
        invitation = httpx.post(
            f"{url_of(vortex_sock)}/sandbox/invitations",
            json={"target": {"type": "email", "value": user.email}, "groups": [{"type": "team", "groupId": org.id}]},
        ).json()
        found = httpx.get(
            f"{vortex_url}/invitations",
            params={"targetType": "email", "targetValue": user.email},
            headers={"x-api-key": key},
        ).json()
        step("vortex sandbox: invitations for the user", [(i["id"], i["status"]) for i in found["invitations"]])
        if [i["id"] for i in found["invitations"]] != [invitation["id"]]:
            print("unexpected invitations", file=sys.stderr)
            return 1
    finally:
        server.stop()
    step("sandboxes stopped; the demo passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
