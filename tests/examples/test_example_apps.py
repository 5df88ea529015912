"""The seed's eight endpoints on the FastAPI, Flask and Django example apps, through each framework's test client,
against the Vault and Vortex sandboxes on loopback."""

from __future__ import annotations

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle

from .drivers import Driver, fail_inserts_of_group, memberships
from .world import World

TEAM = {"type": "team", "groupId": "team-1", "name": "Team One"}
WORKSPACE = {"type": "workspace", "groupId": "ws-9", "name": "Workspace"}


def test_jwt_for_the_caller_verifies_at_vortex(app: Driver, world: World, vortex_sandbox: SandboxHandle) -> None:
    answer = app.call("POST", "/api/vortex/jwt", token=world.admin.token, json={"componentId": "c1", "other": 1})
    assert answer.status == 200
    verified = vortex_sandbox.control("POST", "/sandbox/jwt/verify", {"token": answer.body["jwt"]})["payload"]
    assert (verified["userId"], verified["userEmail"]) == (world.admin.id, world.admin.email)
    assert verified["adminScopes"] == ["autojoin"] and verified["componentId"] == "c1" and "other" not in verified
    plain = app.call("POST", "/api/vortex/jwt", token=world.member.token)  # the seed's curl sends '{}'; empty works too
    member_claims = vortex_sandbox.control("POST", "/sandbox/jwt/verify", {"token": plain.body["jwt"]})["payload"]
    assert "adminScopes" not in member_claims
    bad = app.call("POST", "/api/vortex/jwt", token=world.member.token, json={"scope": 5})
    assert (bad.status, bad.body["code"]) == (400, "INVALID_REQUEST")


def test_the_seed_walkthrough(app: Driver, world: World, vortex_sandbox: SandboxHandle) -> None:
    alice = world.member
    first = vortex_sandbox.create_invitation("email", alice.email, groups=[TEAM, WORKSPACE])
    second = vortex_sandbox.create_invitation("email", alice.email, groups=[TEAM])

    listed = app.call("GET", f"/api/vortex/invitations?type=email&value={alice.email}", token=alice.token)
    assert listed.status == 200
    assert [i["id"] for i in listed.body["invitations"]] == [first["id"], second["id"]]
    assert listed.body["invitations"][0]["groups"][0]["group_id"] == "team-1"

    one = app.call("GET", f"/api/vortex/invitations/{first['id']}", token=alice.token)
    assert (one.status, one.body["id"], one.body["status"]) == (200, first["id"], "delivered")

    again = app.call("POST", f"/api/vortex/invitations/{second['id']}/reinvite", token=alice.token)
    assert (again.status, again.body) == (200, {"success": True})

    accepted = app.call(
        "POST", "/api/vortex/invitations/accept", token=alice.token,
        json={"invitationIds": [first["id"], second["id"]], "target": {"type": "email", "value": alice.email}},
    )  # fmt: skip
    assert accepted.status == 200, accepted.body
    assert (accepted.body["success"], accepted.body["acceptedCount"]) == (True, 2)
    assert memberships(app) == [(alice.id, "team", "team-1"), (alice.id, "workspace", "ws-9")]
    mine = app.call("GET", "/api/me/memberships", token=alice.token)
    assert [(m["groupType"], m["groupId"]) for m in mine.body["memberships"]] == [
        ("team", "team-1"),
        ("workspace", "ws-9"),
    ]
    assert app.call("GET", f"/api/vortex/invitations/{first['id']}", token=alice.token).body["status"] == "accepted"

    refused = app.call("POST", f"/api/vortex/invitations/{first['id']}/reinvite", token=alice.token)
    assert (refused.status, refused.body["code"]) == (409, "CONFLICT")

    revoked = app.call("DELETE", f"/api/vortex/invitations/{second['id']}", token=alice.token)
    assert (revoked.status, revoked.body) == (200, {"success": True})
    gone = app.call("GET", f"/api/vortex/invitations/{second['id']}", token=alice.token)
    assert (gone.status, gone.body) == (404, {"error": "Invitation not found", "code": "NOT_FOUND"})


def test_by_group_listing_and_admin_only_delete(app: Driver, world: World, vortex_sandbox: SandboxHandle) -> None:
    ids = [vortex_sandbox.create_invitation("email", f"p{i}@example.com", groups=[TEAM])["id"] for i in range(2)]
    listed = app.call("GET", "/api/vortex/invitations/by-group/team/team-1", token=world.member.token)
    assert [i["id"] for i in listed.body["invitations"]] == ids
    forbidden = app.call("DELETE", "/api/vortex/invitations/by-group/team/team-1", token=world.member.token)
    assert (forbidden.status, forbidden.body["code"]) == (403, "FORBIDDEN")
    assert (
        len(
            app.call("GET", "/api/vortex/invitations/by-group/team/team-1", token=world.admin.token).body["invitations"]
        )
        == 2
    )
    deleted = app.call("DELETE", "/api/vortex/invitations/by-group/team/team-1", token=world.admin.token)
    assert (deleted.status, deleted.body) == (200, {"success": True})
    assert app.call("GET", "/api/vortex/invitations/by-group/team/team-1", token=world.admin.token).body == {
        "invitations": []
    }


@pytest.mark.parametrize(
    ("headers", "status", "challenge"),
    [
        ([], 401, "Bearer"),
        ([("Authorization", "Bearer not-a-token")], 401, 'Bearer error="invalid_token"'),
        ([("Authorization", "Basic dXNlcjpwYXNz")], 401, 'Bearer error="invalid_token"'),
        ([("Authorization", "Bearer")], 401, 'Bearer error="invalid_token"'),
        ([("Authorization", "Bearer a, Bearer b")], 400, None),
    ],
)
def test_callers_without_a_valid_token(
    app: Driver, world: World, headers: list[tuple[str, str]], status: int, challenge: str | None
) -> None:
    answer = app.call("GET", "/api/vortex/invitations?type=email&value=a@example.com", headers=headers)
    assert answer.status == status
    assert set(answer.body) == {"error", "code"}
    if challenge is not None:
        assert answer.headers["WWW-Authenticate"] == challenge
    assert "not-a-token" not in str(answer.body)


def test_lowercase_bearer_and_revoked_sessions(app: Driver, world: World, vault_client: object) -> None:
    ok = app.call("GET", "/api/me/memberships", headers=[("Authorization", f"bearer {world.member.token}")])
    assert ok.status == 200
    vault_client.sessions.revoke(world.admin.session_id)  # type: ignore[attr-defined]
    refused = app.call("GET", "/api/me/memberships", token=world.admin.token)
    assert refused.status == 401 and world.admin.token not in str(refused.body)


def test_bad_requests(app: Driver, world: World, vortex_sandbox: SandboxHandle) -> None:
    alice = world.member
    mine = {"type": "email", "value": alice.email}
    invitation = vortex_sandbox.create_invitation("email", alice.email, groups=[TEAM])
    for_bob = vortex_sandbox.create_invitation("email", world.admin.email, groups=[TEAM])
    cases = [
        ("GET", "/api/vortex/invitations?type=email", None, 400),
        ("GET", "/api/vortex/invitations?type=fax&value=1", None, 400),
        ("POST", "/api/vortex/invitations/accept", {"target": mine}, 400),
        ("POST", "/api/vortex/invitations/accept", {"invitationIds": [invitation["id"]]}, 400),
        ("POST", "/api/vortex/invitations/accept", {"invitationIds": "x", "target": mine}, 400),
        ("POST", "/api/vortex/invitations/accept", [1, 2], 400),
        # Accepting grants memberships, so only as yourself, and only invitations sent to you.
        ("POST", "/api/vortex/invitations/accept",
         {"invitationIds": [invitation["id"]], "target": {"type": "email", "value": world.admin.email}}, 403),
        ("POST", "/api/vortex/invitations/accept", {"invitationIds": [for_bob["id"]], "target": mine}, 403),
        ("POST", "/api/vortex/invitations/accept",
         {"invitationIds": [invitation["id"]], "target": {"type": "phone", "value": "+15555550100"}}, 403),
        ("POST", "/api/vortex/invitations/accept", {"invitationIds": ["missing-id"], "target": mine}, 404),
        ("GET", "/api/vortex/invitations/missing-id", None, 404),
        ("DELETE", "/api/vortex/invitations/missing-id", None, 404),
        ("POST", "/api/vortex/invitations/missing-id/reinvite", None, 404),
    ]  # fmt: skip
    for method, path, body, status in cases:
        answer = app.call(method, path, token=alice.token, json=body)
        assert (answer.status, set(answer.body)) == (status, {"error", "code"}), (method, path, body, answer.body)
    not_json = app.call("POST", "/api/vortex/invitations/accept", token=alice.token, data=b"{not json")
    assert not_json.status == 400
    assert memberships(app) == []
    assert (
        app.call("GET", f"/api/vortex/invitations/{invitation['id']}", token=alice.token).body["status"] == "delivered"
    )


def test_accept_refused_by_vortex_writes_nothing(app: Driver, world: World, vortex_sandbox: SandboxHandle) -> None:
    alice = world.member
    good = vortex_sandbox.create_invitation("email", alice.email, groups=[TEAM])
    expired = vortex_sandbox.create_invitation("email", alice.email, groups=[WORKSPACE], expired=True)
    answer = app.call(
        "POST", "/api/vortex/invitations/accept", token=alice.token,
        json={"invitationIds": [good["id"], expired["id"]], "target": {"type": "email", "value": alice.email}},
    )  # fmt: skip
    assert (answer.status, answer.body["code"]) == (409, "CONFLICT")
    assert memberships(app) == []  # both memberships were written, then rolled back with the refusal
    assert app.call("GET", f"/api/vortex/invitations/{good['id']}", token=alice.token).body["status"] == "delivered"


def test_database_failure_mid_accept_leaves_nothing_half_done(
    app: Driver, world: World, vortex_sandbox: SandboxHandle
) -> None:
    alice = world.member
    first = vortex_sandbox.create_invitation("email", alice.email, groups=[TEAM])
    second = vortex_sandbox.create_invitation("email", alice.email, groups=[{"type": "team", "groupId": "boom"}])
    fail_inserts_of_group(app, "boom")
    answer = app.call(
        "POST", "/api/vortex/invitations/accept", token=alice.token,
        json={"invitationIds": [first["id"], second["id"]], "target": {"type": "email", "value": alice.email}},
    )  # fmt: skip
    assert answer.status == 500 and answer.body == {"error": "Internal server error", "code": "INTERNAL_ERROR"}
    assert memberships(app) == []  # team-1 was inserted before `boom` failed, and rolled back
    for invitation in (first, second):  # and Vortex was never told
        status = app.call("GET", f"/api/vortex/invitations/{invitation['id']}", token=alice.token).body["status"]
        assert status == "delivered"


def test_vortex_outage_is_a_502_without_details(app: Driver, world: World, vortex_sandbox: SandboxHandle) -> None:
    vortex_sandbox.inject_fault("status", count=10, status=503)
    answer = app.call("GET", "/api/vortex/invitations/by-group/team/team-1", token=world.member.token)
    assert answer.status == 502
    assert answer.body == {"error": "The invitations service failed", "code": "UPSTREAM_ERROR"}
