"""`to_dict()` and `to_json()` on every public model of the Vault Auth SDK and the Vortex SDK, against the sandboxes.

Each model is fetched over loopback with `with_raw_response`, so its `to_dict()` can be compared with the very
JSON the API sent: the same keys (the API's own style: snake_case for Vault, camelCase for Vortex) and values.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle


def same_as_wire(model: Any, wire: dict[str, Any]) -> None:
    produced = model.to_dict()
    assert set(produced) <= set(wire), f"keys the API does not use: {set(produced) - set(wire)}"
    for key, value in produced.items():
        if isinstance(value, str) and value.endswith("Z") and isinstance(wire[key], str):
            continue  # the same instant may be written with or without fractional seconds
        if isinstance(value, dict | list) and value and not isinstance(wire[key], dict | list):
            raise AssertionError(f"{key}: {value!r} vs {wire[key]!r}")
        if not isinstance(value, dict | list):
            assert value == wire[key], key
    assert json.loads(model.to_json()) == produced


def test_vault_models(vault_client: Any, vault_sandbox: SandboxHandle) -> None:
    raw = vault_client.with_raw_response.users.create(email="ada@example.com", password="secure_password",
                                                      first_name="Ada", metadata={"plan": "pro"})  # fmt: skip
    user = raw.parse()
    same_as_wire(user, raw.json()["data"])
    assert user.to_dict()["metadata"] == {"plan": "pro"} and "request_id" not in user.to_dict()
    raw = vault_client.with_raw_response.organizations.create(name="Acme", slug="acme")
    same_as_wire(raw.parse(), raw.json()["data"])
    org = raw.parse()
    raw = vault_client.with_raw_response.organizations.add_member(org.id, user.id, role="admin")
    same_as_wire(raw.parse(), raw.json()["data"])
    raw = vault_client.with_raw_response.users.get_organizations(user.id)
    for membership, wire in zip(raw.parse(), raw.json()["data"]["memberships"], strict=True):
        same_as_wire(membership, wire)
    raw = vault_client.with_raw_response.get_jwks()
    assert raw.parse().to_dict() == raw.json()
    token = vault_sandbox.mint_token(user.id)
    session_id = vault_client.decode_token(token).sid
    if session_id:
        raw = vault_client.with_raw_response.sessions.get(session_id)
        same_as_wire(raw.parse(), raw.json()["data"])
    page = vault_client.users.list()
    assert page.to_dict() == {"data": [u.to_dict() for u in page.data], "total": page.total, "page": 1,
                              "per_page": page.per_page, "has_more": page.has_more}  # fmt: skip
    assert json.loads(page.to_json())["data"][0]["id"] == user.id
    payload = vault_client.verify_token_locally(token)
    claims = payload.to_dict()
    assert claims["sub"] == user.id and json.loads(payload.to_json()) == claims


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
async def test_vortex_models(vortex_client: Any, vortex_sandbox: SandboxHandle, sync: bool) -> None:
    made = vortex_sandbox.create_invitation(
        "email", "ada@example.com", groups=[{"type": "team", "groupId": "team-1", "name": "Team"}]
    )
    view = vortex_client.with_raw_response
    raw = view.get_invitation_sync(made["id"]) if sync else await view.get_invitation(made["id"])
    invitation = raw.parse()
    wire = raw.json()
    same_as_wire(invitation, wire)
    assert invitation.to_dict()["groups"][0]["groupId"] == "team-1"
    assert "account_id" not in invitation.to_dict() and "accountId" in invitation.to_dict()


def test_vortex_user_and_accept_user() -> None:
    from vortex_sdk import AcceptUser, User

    user = User(id="u1", email="a@example.com", admin_scopes=["autojoin"], user_name="Ada", team="x")
    assert user.to_dict() == {"id": "u1", "email": "a@example.com", "adminScopes": ["autojoin"],
                              "userName": "Ada", "team": "x"}  # fmt: skip
    assert json.loads(user.to_json()) == user.to_dict()
    assert AcceptUser(email="a@example.com").to_dict()["email"] == "a@example.com"
