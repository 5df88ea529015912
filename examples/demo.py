"""`make demo`: the seed flows against the embedded sandboxes, through the SDKs and the FastAPI example app.

Starts the five sandboxes (Vault, Vortex, Loops, Stripe, Twilio), their dashboard and the FastAPI example app on
loopback, then: creates a user and an organization in Vault (the Vault Auth SDK), mints and verifies the user's
token, and calls the example's endpoints with it as the seed's curl walkthrough does (JWT, list, get, reinvite,
accept, revoke, memberships); sends the user a welcome e-mail through the Django integrations' Loops client; printing
each step. Then walks the Django integrations through the Django project template (`template_demo.py`: Loops,
Stripe, Twilio, S3, Redis). Stops everything and exits 0 when every step did what it should.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from demo_steps import DemoFailed, expect, step
from stack import Stack, start_stack

from app_integrations.loops import LoopsClient
from vault_auth import VaultAuth
from vault_auth.errors import InvalidTokenError, NotFoundError
from vortex_sdk import Vortex


def vault_flow(stack: Stack) -> tuple[str, str, str]:
    """Seed 001 with `vault_auth`: user, organization, admin membership, token; returns (user id, email, token)."""
    s = stack.settings
    with VaultAuth(api_key=s.vault_api_key, base_url=s.vault_base_url) as vault:
        user = vault.users.create(email="user@example.com", password="secure_password", first_name="John",
                                  last_name="Doe")  # fmt: skip
        step("vault.users.create", f"{user.id} {user.email} ({user.full_name})")
        org = vault.organizations.create(name="Acme Corp", slug="acme-corp")
        step("vault.organizations.create", f"{org.id} {org.name} /{org.slug}")
        membership = vault.organizations.add_member(org.id, user.id, role="admin")
        step("vault.organizations.add_member", f"{membership.organization_id} role={membership.role}")
        minted = httpx.post(f"{stack.vault_root}/sandbox/tokens", json={"user_id": user.id, "org_id": org.id}).json()
        step("sandbox minted the user's access token", f"kid={minted['kid']} alg={minted['alg']}")
        verified = vault.verify_token(minted["token"])
        payload = vault.decode_token(minted["token"])
        step("vault.verify_token", f"{verified.email}; org_id={payload.org_id} org_role={payload.org_role}")
        for m in vault.users.get_organizations(user.id):
            step("vault.users.get_organizations", f"{m.organization.name} - {m.role}")
        try:
            vault.verify_token(minted["token"] + "x")
            raise DemoFailed("a tampered token was accepted")
        except InvalidTokenError as exc:
            step("a tampered token is refused locally", f"InvalidTokenError: {exc.message}")
        try:
            vault.users.get("user_missing")
            raise DemoFailed("a missing user was found")
        except NotFoundError as exc:
            step("a missing user", f"NotFoundError: {exc.resource_type} {exc.resource_id}")
        return user.id, user.email, minted["token"]


def invitations_flow(stack: Stack, email: str, token: str) -> None:
    """Seed 000's curl walkthrough against the FastAPI example, authenticated with the Vault token."""
    teams = [{"type": "team", "groupId": "team-red", "name": "Red"}, {"type": "team", "groupId": "team-blue"}]
    first = httpx.post(f"{stack.vortex_root}/sandbox/invitations",
                       json={"target": {"type": "email", "value": email}, "groups": teams}).json()  # fmt: skip
    second = httpx.post(f"{stack.vortex_root}/sandbox/invitations",
                        json={"target": {"type": "email", "value": email}, "groups": teams[:1]}).json()  # fmt: skip
    step("vortex sandbox: two invitations sent to the user", [first["id"], second["id"]])
    s = stack.settings
    with Vortex(api_key=s.vortex_api_key, base_url=s.vortex_base_url) as vortex:
        group = vortex.get_invitations_by_group_sync("team", "team-red")
        step("vortex.get_invitations_by_group_sync('team', 'team-red')", [i.id for i in group])
    with httpx.Client(base_url=stack.app_url, headers={"Authorization": f"Bearer {token}"}) as app:
        jwt = app.post("/api/vortex/jwt", json={}).json()["jwt"]
        checked = httpx.post(f"{stack.vortex_root}/sandbox/jwt/verify", json={"token": jwt}).json()
        step("POST /api/vortex/jwt (verified by the Vortex sandbox)", checked["payload"])
        listed = app.get("/api/vortex/invitations", params={"type": "email", "value": email}).json()
        step("GET /api/vortex/invitations", [(i["id"], i["status"]) for i in listed["invitations"]])
        expect(len(listed["invitations"]) == 2, "the user should have two invitations")
        one = app.get(f"/api/vortex/invitations/{first['id']}").json()
        step(f"GET /api/vortex/invitations/{first['id']}", [(g["type"], g["group_id"]) for g in one["groups"]])
        again = app.post(f"/api/vortex/invitations/{second['id']}/reinvite")
        step("POST .../reinvite", f"{again.status_code} {again.json()}")
        target = {"type": "email", "value": email}
        accepted = app.post("/api/vortex/invitations/accept", json={"invitationIds": [first["id"]], "target": target})
        step("POST /api/vortex/invitations/accept", f"{accepted.status_code} {accepted.json()}")
        expect(accepted.status_code == 200, "accept should succeed")
        refused = app.post(f"/api/vortex/invitations/{first['id']}/reinvite")
        step("reinvite an accepted invitation", f"{refused.status_code} {refused.json()}")
        revoked = app.delete(f"/api/vortex/invitations/{second['id']}")
        step(f"DELETE /api/vortex/invitations/{second['id']}", f"{revoked.status_code} {revoked.json()}")
        gone = app.get(f"/api/vortex/invitations/{second['id']}")
        step("the revoked invitation", f"{gone.status_code} {gone.json()}")
        expect(gone.status_code == 404, "a revoked invitation should be gone")
        stored = app.get("/api/me/memberships").json()["memberships"]
        step("memberships stored by the example app", [(m["groupType"], m["groupId"], m["role"]) for m in stored])
        expect(len(stored) == 2, "accepting should have granted two memberships")
        anonymous = httpx.get(f"{stack.app_url}/api/me/memberships")
        step("no token", f"{anonymous.status_code} {anonymous.json()} WWW-Authenticate: "
                         f"{anonymous.headers.get('www-authenticate')}")  # fmt: skip


def loops_flow(stack: Stack, email: str) -> str:
    """Seed 002's `LoopsClient` sends a welcome e-mail from a published template; returns the outbox e-mail's id."""
    welcome = {"id": "welcome", "name": "Welcome", "dataVariables": ["firstName"], "subject": "Welcome, {{firstName}}"}
    httpx.post(f"{stack.loops_root}/sandbox/transactional", json=welcome).raise_for_status()
    with LoopsClient(api_key=stack.loops_api_key, base_url=stack.loops_base_url, debug_mode=False) as loops:
        sent = loops.transactional_email(email, "welcome", {"firstName": "John"})
    step("loops.transactional_email(email, 'welcome', {'firstName': 'John'})", sent)
    expect(sent["success"] is True, "the welcome e-mail should be sent")
    emails = httpx.get(f"{stack.loops_root}/sandbox/outbox").json()["emails"]
    step("the Loops sandbox's outbox", [(e["transactionalId"], e["email"], e["subject"]) for e in emails])
    expect([e["subject"] for e in emails] == ["Welcome, John"], "the outbox should hold the welcome e-mail")
    return str(emails[0]["id"])


def main() -> int:
    """Run the walk; exit status 0 when every step did what it should."""
    with tempfile.TemporaryDirectory() as scratch:
        stack = start_stack(Path(scratch) / "example.db")
        step("started", f"vault {stack.settings.vault_base_url} | vortex {stack.settings.vortex_base_url} | "
                        f"loops {stack.loops_base_url} | FastAPI example {stack.app_url} | "
                        f"dashboard {stack.dashboard_url}")  # fmt: skip
        try:
            _, email, token = vault_flow(stack)
            invitations_flow(stack, email, token)
            loops_flow(stack, email)
        except DemoFailed as exc:
            print(f"demo failed: {exc}", file=sys.stderr)
            return 1
        finally:
            stack.stop()
    step("the Vault and Vortex flows passed; now the Django integrations through the Django project template")
    # Its own process: the template has its own Django settings, and Django's are process-wide.
    template_demo = [sys.executable, str(Path(__file__).with_name("template_demo.py"))]
    seed_002 = subprocess.run(template_demo, check=False)  # noqa: S603  (our own script)
    if seed_002.returncode != 0:
        return 1
    step("everything stopped; the demo passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
