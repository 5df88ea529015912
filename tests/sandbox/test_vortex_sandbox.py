"""The Vortex sandbox over a real loopback socket: invitations, acceptance, API keys, and JWT verification."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from vortex_api.api.invitations import (
    accept_invitations,
    delete_invitations_by_group,
    get_invitation,
    get_invitations_by_group,
    get_invitations_by_target,
    reinvite,
    revoke_invitation,
)
from vortex_api.models import AcceptInvitationsRequest, AcceptTarget, AcceptTargetType, TargetQueryType

from sdk_runtime import APIStatusError, AsyncAPIClient, Call, Expect, SyncAPIClient
from sdk_sandbox.pytest_plugin import SandboxHandle, _serve
from sdk_sandbox.vortex import build_vortex_app

# reference/upstream-apis.md §1.2: this key, this user, clock at 1700000000, TTL 3600 -> this exact token.
VECTOR_KEY = "VRTX.AAAAAAAAAAAAAAAAAAAAAA.test_secret_key"
VECTOR_TOKEN = (
    "eyJpYXQiOjE3MDAwMDAwMDAsImFsZyI6IkhTMjU2IiwidHlwIjoiSldUIiwia2lkIjoiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAwIn0"
    ".eyJ1c2VySWQiOiJ1c2VyLTEyMyIsInVzZXJFbWFpbCI6InVzZXJAZXhhbXBsZS5jb20iLCJleHBpcmVzIjoxNzAwMDAzNjAwfQ"
    ".grKQnVCC9mxcHe4ha4UKJkWteNGuo9xn1zDaGGwcF08"
)
TEAM = {"type": "team", "groupId": "team-1", "name": "Team One"}


def send(client: SyncAPIClient, kwargs: dict[str, Any], expect: Expect = Expect.JSON) -> Any:
    return client.request(Call.from_kwargs(kwargs, expect)).data


def accept_body(ids: list[str], email: str = "user@example.com") -> AcceptInvitationsRequest:
    return AcceptInvitationsRequest(invitation_ids=ids, target=AcceptTarget(type_=AcceptTargetType.EMAIL, value=email))


def test_invitations_by_target_and_by_group(vortex_http: SyncAPIClient, vortex_sandbox: SandboxHandle) -> None:
    first = vortex_sandbox.create_invitation("email", "user@example.com", groups=[TEAM])
    vortex_sandbox.create_invitation("phone", "+15555550100", groups=[TEAM])
    vortex_sandbox.create_invitation("email", "other@example.com")
    by_email = send(
        vortex_http,
        get_invitations_by_target._get_kwargs(target_type=TargetQueryType.EMAIL, target_value="user@example.com"),
    )
    assert [i["id"] for i in by_email["invitations"]] == [first["id"]]
    by_phone = send(
        vortex_http,
        get_invitations_by_target._get_kwargs(target_type=TargetQueryType.PHONENUMBER, target_value="+15555550100"),
    )
    assert len(by_phone["invitations"]) == 1
    by_group = send(vortex_http, get_invitations_by_group._get_kwargs("team", "team-1"))
    assert len(by_group["invitations"]) == 2
    fetched = send(vortex_http, get_invitation._get_kwargs(first["id"]))
    assert fetched["groups"][0]["groupId"] == "team-1"
    assert fetched["groups"][0]["type"] == "team"


def test_accept_marks_invitations_accepted(vortex_http: SyncAPIClient, vortex_sandbox: SandboxHandle) -> None:
    invitation = vortex_sandbox.create_invitation("email", "user@example.com", groups=[TEAM])
    result = send(vortex_http, accept_invitations._get_kwargs(body=accept_body([invitation["id"]])))
    assert result["invitations"][0]["status"] == "accepted"
    stored = send(vortex_http, get_invitation._get_kwargs(invitation["id"]))
    assert stored["accepts"][0]["target"] == {"type": "email", "value": "user@example.com"}


def test_accept_is_all_or_nothing(vortex_http: SyncAPIClient, vortex_sandbox: SandboxHandle) -> None:
    invitation = vortex_sandbox.create_invitation("email", "user@example.com")
    with pytest.raises(APIStatusError) as caught:
        send(vortex_http, accept_invitations._get_kwargs(body=accept_body([invitation["id"], "missing-id"])))
    assert (caught.value.status_code, caught.value.message) == (404, "Invitation not found")
    assert send(vortex_http, get_invitation._get_kwargs(invitation["id"]))["status"] == "delivered"


def test_single_use_invitation_cannot_be_taken_twice(vortex_http: SyncAPIClient, vortex_sandbox: SandboxHandle) -> None:
    invitation = vortex_sandbox.create_invitation("email", "user@example.com")
    send(vortex_http, accept_invitations._get_kwargs(body=accept_body([invitation["id"]])))
    send(vortex_http, accept_invitations._get_kwargs(body=accept_body([invitation["id"]])))  # same target: fine
    with pytest.raises(APIStatusError) as caught:
        send(vortex_http, accept_invitations._get_kwargs(body=accept_body([invitation["id"]], "thief@example.com")))
    assert caught.value.status_code == 409


def test_reinvite_revoke_and_delete_by_group(vortex_http: SyncAPIClient, vortex_sandbox: SandboxHandle) -> None:
    invitation = vortex_sandbox.create_invitation("email", "user@example.com", groups=[TEAM])
    assert send(vortex_http, reinvite._get_kwargs(invitation["id"]))["deliveryCount"] == 2
    send(vortex_http, revoke_invitation._get_kwargs(invitation["id"]), Expect.NOTHING)
    with pytest.raises(APIStatusError) as caught:
        send(vortex_http, get_invitation._get_kwargs(invitation["id"]))
    assert caught.value.status_code == 404
    vortex_sandbox.create_invitation("email", "a@example.com", groups=[TEAM])
    send(vortex_http, delete_invitations_by_group._get_kwargs("team", "team-1"), Expect.NOTHING)
    assert send(vortex_http, get_invitations_by_group._get_kwargs("team", "team-1"))["invitations"] == []


async def test_async_client_against_the_vortex_sandbox(
    async_vortex_http: AsyncAPIClient, vortex_sandbox: SandboxHandle
) -> None:
    invitation = vortex_sandbox.create_invitation("email", "user@example.com")
    fetched = await async_vortex_http.request(Call.from_kwargs(get_invitation._get_kwargs(invitation["id"])))
    assert fetched.data["id"] == invitation["id"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"x-api-key": "VRTX.AAAAAAAAAAAAAAAAAAAAAA.wrong"}, 401), ({"x-api-key": "not-a-key"}, 401)],
)
def test_api_key_is_checked(vortex_sandbox: SandboxHandle, headers: dict[str, str], status: int) -> None:
    response = httpx.get(f"{vortex_sandbox.url}/invitations/some-id", headers=headers)
    assert response.status_code == status
    assert isinstance(response.json()["error"], str)


BAD = [
    ("empty ids", "POST", "/invitations/accept", {"invitationIds": [], "target": {"type": "email", "value": "a"}}),
    ("no target", "POST", "/invitations/accept", {"invitationIds": ["a"]}),
    (
        "bad target type",
        "POST",
        "/invitations/accept",
        {"invitationIds": ["a"], "target": {"type": "fax", "value": "1"}},
    ),
    ("bad query enum", "GET", "/invitations?targetType=fax&targetValue=1", None),
    ("missing query", "GET", "/invitations?targetType=email", None),
    ("dot segment id", "GET", "/invitations/%2E%2E", None),
]


@pytest.mark.parametrize(("name", "method", "path", "body"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_gets_400_in_vortex_error_shape(
    vortex_sandbox: SandboxHandle, name: str, method: str, path: str, body: Any
) -> None:
    response = httpx.request(
        method, vortex_sandbox.url + path, json=body, headers={"x-api-key": vortex_sandbox.api_key}
    )
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"error"}


@pytest.fixture(scope="module")
def vector_sandbox() -> Iterator[SandboxHandle]:
    """A Vortex sandbox that knows the reference test-vector key."""
    yield from _serve(build_vortex_app(api_keys=(VECTOR_KEY,)))


def test_the_reference_test_vector_verifies(vector_sandbox: SandboxHandle) -> None:
    vector_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": 1_700_000_000 - time.time()})
    result = vector_sandbox.control("POST", "/sandbox/jwt/verify", {"token": VECTOR_TOKEN})
    assert result["header"] == {
        "iat": 1_700_000_000, "alg": "HS256", "typ": "JWT", "kid": "00000000-0000-0000-0000-000000000000",
    }  # fmt: skip
    assert result["payload"] == {"userId": "user-123", "userEmail": "user@example.com", "expires": 1_700_003_600}


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (VECTOR_TOKEN[:-2] + "AA", "signature does not match"),
        (VECTOR_TOKEN.replace("eyJ1c2VySWQiOiJ1c2Vy", "eyJ1c2VySWQiOiJ4c2Vy"), "signature does not match"),
        ("a.b", "three dot-separated parts"),
    ],
)
def test_tampered_tokens_do_not_verify(vector_sandbox: SandboxHandle, token: str, reason: str) -> None:
    vector_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": 1_700_000_000 - time.time()})
    response = vector_sandbox._control.post("/sandbox/jwt/verify", json={"token": token})
    assert response.status_code == 401
    assert reason in response.json()["error"]


def test_expired_tokens_do_not_verify(vector_sandbox: SandboxHandle) -> None:
    vector_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": 1_700_003_600 - time.time()})
    response = vector_sandbox._control.post("/sandbox/jwt/verify", json={"token": VECTOR_TOKEN})
    assert response.status_code == 401
    assert "expired" in response.json()["error"]


def test_malformed_sandbox_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="malformed"):
        build_vortex_app(api_keys=("VRTX.not-a-uuid.key",))


def test_a_concrete_path_wins_over_a_template(vortex_sandbox: SandboxHandle) -> None:
    response = httpx.request("OPTIONS", f"{vortex_sandbox.url}/invitations/accept")
    assert (response.status_code, response.headers["allow"]) == (405, "POST")
    templated = httpx.request("OPTIONS", f"{vortex_sandbox.url}/invitations/inv-1")
    assert templated.headers["allow"] == "DELETE, GET"
