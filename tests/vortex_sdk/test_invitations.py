"""Every Vortex call, async and `_sync`, from the facade to the Vortex sandbox over a loopback socket."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import json
import warnings

import httpx
import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from vortex_sdk import (
    Invitation,
    InvitationGroup,
    InvitationTarget,
    NotAwaitedError,
    Vortex,
    VortexApiError,
    VortexConflictError,
    VortexNotFoundError,
    VortexValidationError,
)

TEAM = {"type": "team", "groupId": "team-1", "name": "Team One"}
EMAIL = "user@example.com"
TARGET = {"type": "email", "value": EMAIL}


async def test_get_invitations_by_target_async_and_sync(vortex_client: Vortex, vortex_sandbox: SandboxHandle) -> None:
    created = vortex_sandbox.create_invitation("email", EMAIL, groups=[TEAM])
    vortex_sandbox.create_invitation("email", "someone@example.com")
    invitations = await vortex_client.get_invitations_by_target("email", EMAIL)
    assert [i.id for i in invitations] == [created["id"]]
    assert isinstance(invitations[0], Invitation)
    assert vortex_client.get_invitations_by_target_sync("email", EMAIL) == invitations
    assert await vortex_client.get_invitations_by_target("email", "nobody@example.com") == []


async def test_invitation_model_as_the_seed_uses_it(vortex_client: Vortex, vortex_sandbox: SandboxHandle) -> None:
    created = vortex_sandbox.create_invitation("email", EMAIL, groups=[TEAM, {"type": "workspace", "groupId": "w9"}])
    invitation = await vortex_client.get_invitation(created["id"])
    assert [(g.type, g.group_id) for g in invitation.groups] == [("team", "team-1"), ("workspace", "w9")]
    assert isinstance(invitation.groups[0], InvitationGroup)
    assert invitation.target == [InvitationTarget(type="email", value=EMAIL)]
    assert invitation.created_at.tzinfo is not None
    dumped = invitation.model_dump()
    # JSON-ready (the seed returns it from endpoints), snake_case like upstream's pydantic model_dump().
    assert json.loads(json.dumps(dumped)) == dumped
    assert dumped["id"] == created["id"] and dumped["groups"][0]["group_id"] == "team-1"
    assert dumped["created_at"] == created["createdAt"].replace(".000Z", "Z")
    assert "request_id" not in dumped
    # by_alias gives back the wire form, and model_validate reads it.
    wire = invitation.model_dump(by_alias=True)
    assert (
        wire["groups"][0]["groupId"] == "team-1" and wire["widgetConfigurationId"] == created["widgetConfigurationId"]
    )
    assert Invitation.model_validate(wire) == invitation
    assert vortex_client.get_invitation_sync(created["id"]) == invitation


async def test_accept_then_reinvite_refused(vortex_client: Vortex, vortex_sandbox: SandboxHandle) -> None:
    first = vortex_sandbox.create_invitation("email", EMAIL, groups=[TEAM])
    second = vortex_sandbox.create_invitation("email", EMAIL)
    result = await vortex_client.accept_invitations(invitation_ids=[first["id"], second["id"]], target=TARGET)
    assert [i["status"] for i in result["invitations"]] == ["accepted", "accepted"]
    accepted = await vortex_client.get_invitation(first["id"])
    assert accepted.status == "accepted"
    assert accepted.accepts[0].target.value == EMAIL
    assert isinstance(accepted.accepts[0].accepted_at, dt.datetime)
    with pytest.raises(VortexConflictError) as caught:
        await vortex_client.reinvite(first["id"])
    assert caught.value.status_code == 409 and "re-sent" in caught.value.message


def test_accept_sync_with_an_invitation_target(vortex_client: Vortex, vortex_sandbox: SandboxHandle) -> None:
    created = vortex_sandbox.create_invitation("sms", "+15555550100")
    target = InvitationTarget(type="sms", value="+15555550100")
    result = vortex_client.accept_invitations_sync([created["id"]], target)
    assert result["invitations"][0]["accepts"][0]["target"] == {"type": "sms", "value": "+15555550100"}


async def test_accept_is_all_or_nothing(vortex_client: Vortex, vortex_sandbox: SandboxHandle) -> None:
    good = vortex_sandbox.create_invitation("email", EMAIL)
    expired = vortex_sandbox.create_invitation("email", EMAIL, expired=True)
    with pytest.raises(VortexConflictError):
        await vortex_client.accept_invitations([good["id"], expired["id"]], TARGET)
    assert (await vortex_client.get_invitation(good["id"])).status == "delivered"


async def test_reinvite_revoke_and_not_found(vortex_client: Vortex, vortex_sandbox: SandboxHandle) -> None:
    created = vortex_sandbox.create_invitation("email", EMAIL)
    again = await vortex_client.reinvite(created["id"])
    assert again.delivery_count == created["deliveryCount"] + 1
    assert vortex_client.reinvite_sync(created["id"]).delivery_count == created["deliveryCount"] + 2
    assert await vortex_client.revoke_invitation(created["id"]) == {}
    with pytest.raises(VortexNotFoundError) as caught:
        await vortex_client.get_invitation(created["id"])
    assert (caught.value.status_code, caught.value.message) == (404, "Invitation not found")
    with pytest.raises(VortexNotFoundError):
        vortex_client.revoke_invitation_sync(created["id"])


async def test_by_group_list_and_delete(vortex_client: Vortex, vortex_sandbox: SandboxHandle) -> None:
    in_team = [vortex_sandbox.create_invitation("email", f"u{i}@example.com", groups=[TEAM])["id"] for i in range(3)]
    outside = vortex_sandbox.create_invitation("email", "x@example.com", groups=[{"type": "team", "groupId": "t2"}])
    assert [i.id for i in await vortex_client.get_invitations_by_group("team", "team-1")] == in_team
    assert vortex_client.delete_invitations_by_group_sync("team", "team-1") == {}
    assert vortex_client.get_invitations_by_group_sync("team", "team-1") == []
    assert await vortex_client.delete_invitations_by_group("team", "team-1") == {}
    assert (await vortex_client.get_invitation(outside["id"])).id == outside["id"]


@pytest.mark.parametrize(
    ("ids", "target", "message"),
    [
        ([], TARGET, "must not be empty"),
        ("inv-1", TARGET, "list of invitation IDs"),
        (["inv-1"], None, "user is required"),
        (["inv-1"], {"name": "Ada"}, "either email or phone"),
        (["inv-1"], {"email": "a@example.com", "role": "x"}, "unknown keys"),
        (["inv-1"], {"type": "email"}, "'type' and 'value'"),
        (["inv-1"], {"type": "pigeon", "value": "x"}, "target type"),
        (["inv-1"], {"type": "email", "value": ""}, "non-empty"),
        ([""], TARGET, "non-empty"),
        (["inv-1"], "user@example.com", "dict or an InvitationTarget"),
        ([f"i{n}" for n in range(101)], TARGET, "at most 100"),
    ],
)
async def test_accept_refuses_bad_arguments_before_any_request(
    vortex_client: Vortex, vortex_sandbox: SandboxHandle, ids: object, target: object, message: str
) -> None:
    vortex_sandbox.inject_fault("status", count=1, status=403)  # a request would consume it (403 is not retried)
    with pytest.raises(ValueError, match=message) as caught:
        await vortex_client.accept_invitations(ids, target)  # type: ignore[arg-type]
    assert isinstance(caught.value, VortexValidationError) and caught.value.status_code == 400
    with pytest.raises(ValueError, match=message):
        vortex_client.accept_invitations_sync(ids, target)  # type: ignore[arg-type]
    with pytest.raises(VortexApiError) as served:  # the fault is still queued: nothing was sent
        vortex_client.get_invitations_by_target_sync("email", EMAIL)
    assert served.value.status_code == 403


@pytest.mark.parametrize("bad", ["", ".", "..", " "])
async def test_path_ids_that_would_change_the_path_are_refused(vortex_client: Vortex, bad: str) -> None:
    with pytest.raises(VortexValidationError):
        await vortex_client.get_invitation(bad)
    with pytest.raises(VortexValidationError):
        vortex_client.delete_invitations_by_group_sync("team", bad)


async def test_ids_with_slashes_stay_one_segment(vortex_client: Vortex, vortex_sandbox: SandboxHandle) -> None:
    vortex_sandbox.create_invitation("email", EMAIL, groups=[TEAM])
    # `team-1/../x` must not become another path: it is one (unknown) group id, refused by the API's pattern.
    with pytest.raises(VortexValidationError):
        await vortex_client.get_invitations_by_group("team", "team-1/../x")


def test_bad_target_type_for_listing(vortex_client: Vortex) -> None:
    with pytest.raises(VortexValidationError, match="target_type"):
        vortex_client.get_invitations_by_target_sync("fax", "123")


def test_async_method_used_without_await_points_to_the_sync_twin(vortex_client: Vortex) -> None:
    pending = vortex_client.get_invitations_by_target("email", EMAIL)
    with pytest.raises(NotAwaitedError, match=r"get_invitations_by_target_sync\(") as caught:
        for _ in pending:  # type: ignore[attr-defined]
            pass
    assert "await vortex.get_invitations_by_target(" in str(caught.value)
    with pytest.raises(AttributeError, match="get_invitation_sync"):
        _ = vortex_client.get_invitation("inv-1").groups  # type: ignore[attr-defined]
    with pytest.raises(NotAwaitedError):
        len(vortex_client.get_invitations_by_group("team", "t1"))  # type: ignore[arg-type]
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        del pending
        vortex_client.reinvite("inv-1")  # dropped without await
        gc.collect()
    texts = [str(w.message) for w in caught_warnings if issubclass(w.category, RuntimeWarning)]
    assert any("reinvite_sync(" in t for t in texts)
    assert not any("was never awaited" in t for t in texts)  # Python's bare warning is replaced by ours


async def test_a_pending_call_is_true(vortex_client: Vortex) -> None:
    # asyncio's task repr tests `if task._coro:` (Python 3.12); truth must not fall back to the misuse `__len__`.
    pending = vortex_client.get_invitation("inv-1")
    assert pending
    with pytest.raises(VortexNotFoundError):
        await pending


def test_async_calls_work_with_asyncio_run_tasks_and_gather(vortex_sandbox: SandboxHandle) -> None:
    created = vortex_sandbox.create_invitation("email", EMAIL)
    vortex = Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url)

    async def main() -> list[str]:
        task = asyncio.create_task(vortex.get_invitation(created["id"]))
        both = await asyncio.gather(vortex.get_invitation(created["id"]), task)
        await vortex.close()
        return [i.id for i in both]

    assert asyncio.run(main()) == [created["id"], created["id"]]
    fresh = Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url)
    assert asyncio.run(fresh.get_invitation(created["id"])).id == created["id"]  # asyncio.run takes it directly


async def test_context_managers_close_their_pools(vortex_sandbox: SandboxHandle) -> None:
    created = vortex_sandbox.create_invitation("email", EMAIL)
    async with Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url) as vortex:
        await vortex.get_invitation(created["id"])
        vortex.get_invitation_sync(created["id"])
    with pytest.raises(RuntimeError, match="closed"):
        await vortex.get_invitation(created["id"])
    with Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url) as sync_vortex:
        assert sync_vortex.get_invitation_sync(created["id"]).id == created["id"]
    with pytest.raises(RuntimeError, match="closed"):
        sync_vortex.get_invitation_sync(created["id"])


async def test_user_supplied_http_clients_are_used_and_left_open(vortex_sandbox: SandboxHandle) -> None:
    seen: list[str] = []
    with httpx.Client(event_hooks={"request": [lambda r: seen.append(r.headers["x-api-key"])]}) as http:
        async with httpx.AsyncClient() as ahttp:
            async with Vortex(
                api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url, http_client=http, async_http_client=ahttp
            ) as vortex:
                vortex.get_invitations_by_target_sync("email", EMAIL)
                await vortex.get_invitations_by_target("email", EMAIL)
            assert not ahttp.is_closed and not http.is_closed
    assert seen == [vortex_sandbox.api_key]
