"""The calls the published vortex-python-sdk 0.19.0 added, through our facade, against the sandbox on loopback."""

from __future__ import annotations

import logging
import warnings

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from vortex_sdk import (
    AcceptUser,
    AutojoinDomainsResponse,
    CreateInvitationResponse,
    InvitationTarget,
    Vortex,
    VortexApiError,
    VortexConflictError,
    VortexPermissionError,
    VortexValidationError,
)

EMAIL = "ada@example.com"
TEAM = {"type": "team", "groupId": "team-1", "name": "Team One"}


async def test_by_scope_lists_and_deletes_and_by_group_is_the_same_call(
    vortex_client: Vortex, vortex_sandbox: SandboxHandle
) -> None:
    ids = [vortex_sandbox.create_invitation("email", f"u{i}@example.com", groups=[TEAM])["id"] for i in range(2)]
    listed = await vortex_client.get_invitations_by_scope("team", "team-1")
    assert [i.id for i in listed] == ids
    assert listed[0].scopes == listed[0].groups and listed[0].scopes[0].scope_id == "team-1"
    assert (listed[0].scope, listed[0].scope_type) == ("team-1", "team")
    assert [i.id for i in vortex_client.get_invitations_by_group_sync("team", "team-1")] == ids
    assert vortex_client.delete_invitations_by_scope_sync("team", "team-1") == {}
    assert await vortex_client.get_invitations_by_scope("team", "team-1") == []


async def test_accept_with_the_current_user_form(vortex_client: Vortex, vortex_sandbox: SandboxHandle) -> None:
    first, second, third = (vortex_sandbox.create_invitation("email", EMAIL)["id"] for _ in range(3))
    answer = await vortex_client.accept_invitation(first, AcceptUser(email=EMAIL, name="Ada", is_existing=True))
    assert answer["invitations"][0]["accepts"][0]["target"] == {"type": "email", "value": EMAIL}
    assert vortex_client.accept_invitations_sync([second], {"email": EMAIL})["invitations"][0]["status"] == "accepted"
    assert (await vortex_client.accept_invitations([third], user={"phone": "+15555550100"}))["invitations"]
    with pytest.raises(VortexValidationError, match="one of"):
        vortex_client.accept_invitations_sync([first], {"email": EMAIL}, user={"email": EMAIL})


def test_the_seed_target_form_still_works_with_one_deprecation_warning_and_nothing_printed(
    vortex_client: Vortex,
    vortex_sandbox: SandboxHandle,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    invitation = vortex_sandbox.create_invitation("email", EMAIL)["id"]
    capfd.readouterr()
    with caplog.at_level(logging.DEBUG), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        answer = vortex_client.accept_invitations_sync(
            invitation_ids=[invitation], target=InvitationTarget(type="email", value=EMAIL)
        )
    assert answer["invitations"][0]["status"] == "accepted"
    assert [(w.category, w.filename) for w in caught] == [(DeprecationWarning, __file__)]  # points at the caller
    assert "AcceptUser" in str(caught[0].message)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # Python would print these
    assert capfd.readouterr() == ("", "")


async def test_expired_invitations_refuse_acceptance(vortex_client: Vortex, vortex_sandbox: SandboxHandle) -> None:
    flagged = vortex_sandbox.create_invitation("email", EMAIL, expired=True)["id"]
    with pytest.raises(VortexConflictError):
        await vortex_client.accept_invitation(flagged, {"email": EMAIL})
    timed = vortex_sandbox.create_invitation("email", EMAIL, expiresIn=3600)["id"]
    assert (await vortex_client.get_invitation(timed)).expired is False
    vortex_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": 7200})
    assert vortex_client.get_invitation_sync(timed).expired is True
    with pytest.raises(VortexConflictError):
        vortex_client.accept_invitation_sync(timed, AcceptUser(email=EMAIL))


async def test_create_invitation_from_the_backend(vortex_client: Vortex) -> None:
    created = await vortex_client.create_invitation(
        "widget-config-1",
        {"type": "email", "value": EMAIL, "name": "Ada"},
        {"user_id": "user-9", "userEmail": "ines@example.com", "name": "Ines", "avatar_url": "https://a.example/i"},
        groups=[{"type": "team", "group_id": "team-1", "name": "Team One"}],
        template_variables={"company": "Acme"},
        metadata={"campaign": "spring"},
    )
    assert isinstance(created, CreateInvitationResponse) and created.short_link.endswith(created.id)
    stored = vortex_client.get_invitation_sync(created.id)
    assert (stored.foreign_creator_id, stored.creator_name, stored.creator_avatar_url) == (
        "user-9", "Ines", "https://a.example/i",
    )  # fmt: skip
    assert (stored.source, stored.metadata, stored.widget_configuration_id) == (
        "api",
        {"campaign": "spring"},
        "widget-config-1",
    )
    assert stored.groups[0].group_id == "team-1" and stored.target[0].name == "Ada"

    flat = vortex_client.create_invitation_sync(
        "widget-config-1", {"type": "internal", "value": "member-2"}, {"userId": "user-9"},
        scope_id="ws-1", scope_type="workspace", scope_name="Workspace", source="pymk",
    )  # fmt: skip
    internal = await vortex_client.get_invitation(flat.id)
    assert (internal.scope, internal.scope_type, internal.source) == ("ws-1", "workspace", "pymk")
    with pytest.raises(VortexValidationError, match="unknown keys"):
        vortex_client.create_invitation_sync("w", {"type": "email", "value": EMAIL, "colour": "red"}, {"userId": "u"})
    with pytest.raises(VortexApiError) as refused:  # the document's enum: no `share` target for a create
        vortex_client.create_invitation_sync("w", {"type": "share", "value": "x"}, {"userId": "u"})
    assert refused.value.status_code == 400


async def test_autojoin_domains_decide_who_joins(vortex_client: Vortex) -> None:
    empty = await vortex_client.get_autojoin_domains("organization", "acme")
    assert empty == AutojoinDomainsResponse(autojoin_domains=[], invitation=None)
    configured = await vortex_client.configure_autojoin(
        "acme", "organization", ["acme.com", "Acme.org"], "component-1", scope_name="Acme", metadata={"plan": "pro"}
    )
    assert [d.domain for d in configured.autojoin_domains] == ["acme.com", "acme.org"]
    assert configured.invitation is not None and configured.invitation.invitation_type == "autojoin"
    assert vortex_client.get_autojoin_domains_sync("organization", "acme") == configured
    invitation_id = configured.invitation.id

    for joiner in ("ada@acme.com", "bob@acme.org"):  # multi-use: everyone on the domains joins
        accepted = vortex_client.accept_invitation_sync(invitation_id, {"email": joiner})
        assert accepted["invitations"][0]["accepts"][-1]["target"]["value"] == joiner
    with pytest.raises(VortexPermissionError):
        await vortex_client.accept_invitation(invitation_id, {"email": "eve@evil.example"})
    found = vortex_client.get_invitations_by_target_sync("email", "carol@acme.com")
    assert [i.id for i in found] == [invitation_id]

    off = vortex_client.configure_autojoin_sync("acme", "organization", [], "component-1")
    assert off.autojoin_domains == [] and off.invitation is not None and off.invitation.deactivated
    assert vortex_client.get_invitations_by_target_sync("email", "carol@acme.com") == []
    with pytest.raises(VortexConflictError):
        await vortex_client.accept_invitation(invitation_id, {"email": "dan@acme.com"})


async def test_sync_internal_invitation(vortex_client: Vortex) -> None:
    made = [
        vortex_client.create_invitation_sync("w", {"type": "internal", "value": "member-2"}, {"user_id": creator})
        for creator in ("user-1", "user-1", "user-other")
    ]
    result = await vortex_client.sync_internal_invitation("user-1", "member-2", "accepted", "component-1")
    assert (result.processed, result.invitation_ids) == (2, [made[0].id, made[1].id])
    assert vortex_client.get_invitation_sync(made[0].id).status == "accepted"
    declined = vortex_client.sync_internal_invitation_sync("user-other", "member-2", "declined", "component-1")
    assert declined.invitation_ids == [made[2].id] and vortex_client.get_invitation_sync(made[2].id).deactivated
    again = vortex_client.sync_internal_invitation_sync("user-1", "member-2", "accepted", "component-1")
    assert again.processed == 0
    with pytest.raises(VortexValidationError, match="action"):
        vortex_client.sync_internal_invitation_sync("user-1", "member-2", "ignored", "component-1")
