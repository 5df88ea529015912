"""The Vault sandbox over a real loopback socket: state, tokens, control endpoints, faults, idempotency.

Requests go through the shared runtime and the generated client's request builders, the way the SDK will send
them; the bad-input battery uses raw httpx, since it must send what no client would.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from vault_api.api.auth import get_jwks, verify_token
from vault_api.api.organizations import (
    add_organization_member,
    create_organization,
    delete_organization,
    get_organization_by_slug,
    list_organization_members,
    update_organization_member_role,
)
from vault_api.api.sessions import get_session, revoke_all_user_sessions, revoke_session
from vault_api.api.users import (
    create_user,
    delete_user,
    get_user,
    get_user_by_email,
    list_user_organizations,
    list_user_sessions,
    list_users,
    update_user,
)
from vault_api.models import (
    MembershipCreate,
    MembershipRole,
    MembershipRoleUpdate,
    OrganizationCreate,
    TokenVerifyRequest,
    UserCreate,
    UserUpdate,
)

from sdk_runtime import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    AsyncAPIClient,
    Call,
    Expect,
    SyncAPIClient,
)
from sdk_sandbox.pytest_plugin import SandboxHandle


def send(client: SyncAPIClient, kwargs: dict[str, Any], expect: Expect = Expect.JSON) -> Any:
    return client.request(Call.from_kwargs(kwargs, expect)).data


def new_user(client: SyncAPIClient, email: str = "user@example.com", **fields: Any) -> dict[str, Any]:
    body = UserCreate(email=email, password="secure_password", **fields)
    return send(client, create_user._get_kwargs(body=body))["data"]


def status_of(call: Any) -> int:
    with pytest.raises(APIStatusError) as caught:
        call()
    return caught.value.status_code or 0


def test_user_lifecycle(vault_http: SyncAPIClient) -> None:
    user = new_user(vault_http, first_name="John", last_name="Doe")
    assert send(vault_http, get_user._get_kwargs(user["id"]))["data"] == user
    assert send(vault_http, get_user_by_email._get_kwargs("USER@example.com"))["data"]["id"] == user["id"]
    updated = send(vault_http, update_user._get_kwargs(user["id"], body=UserUpdate(first_name="Jane")))["data"]
    assert (updated["first_name"], updated["last_name"]) == ("Jane", "Doe")
    assert send(vault_http, delete_user._get_kwargs(user["id"]), Expect.NOTHING) is None
    assert status_of(lambda: send(vault_http, get_user._get_kwargs(user["id"]))) == 404


def test_not_found_names_the_resource(vault_http: SyncAPIClient) -> None:
    with pytest.raises(APIStatusError) as caught:
        send(vault_http, get_user._get_kwargs("user_missing"))
    assert caught.value.error_code == "NOT_FOUND"
    assert caught.value.details == {"resource_type": "user", "resource_id": "user_missing"}
    assert caught.value.request_id


def test_listing_walks_pages(vault_http: SyncAPIClient) -> None:
    for n in range(5):
        new_user(vault_http, email=f"u{n}@example.com")
    first = send(vault_http, list_users._get_kwargs(page=1, per_page=2))["data"]
    last = send(vault_http, list_users._get_kwargs(page=3, per_page=2))["data"]
    assert (first["total"], first["has_more"], len(first["users"])) == (5, True, 2)
    assert (last["has_more"], [u["email"] for u in last["users"]]) == (False, ["u4@example.com"])


def test_email_is_unique_case_insensitively(vault_http: SyncAPIClient) -> None:
    new_user(vault_http, email="dup@example.com")
    assert status_of(lambda: new_user(vault_http, email="DUP@example.com")) == 409


def test_validation_errors_name_each_field_without_echoing_values(vault_http: SyncAPIClient) -> None:
    call = Call("POST", "/api/v1/users", json={"email": "not-an-email", "password": "short", "extra": 1})
    with pytest.raises(APIStatusError) as caught:
        vault_http.request(call)
    error = caught.value
    assert (error.status_code, error.error_code) == (400, "VALIDATION_ERROR")
    fields = error.details["fields"]
    assert set(fields) == {"email", "password", "extra"}
    assert "short" not in str(error.details) and "not-an-email" not in str(error.details)


def test_memberships_and_roles(vault_http: SyncAPIClient) -> None:
    user = new_user(vault_http)
    org = send(vault_http, create_organization._get_kwargs(body=OrganizationCreate(name="Acme Corp")))["data"]
    assert org["slug"] == "acme-corp"
    assert send(vault_http, get_organization_by_slug._get_kwargs("acme-corp"))["data"]["id"] == org["id"]
    member = MembershipCreate(user_id=user["id"], role=MembershipRole.ADMIN)
    added = send(vault_http, add_organization_member._get_kwargs(org["id"], body=member))["data"]
    assert (added["role"], added["organization"]["name"]) == ("admin", "Acme Corp")
    assert status_of(lambda: send(vault_http, add_organization_member._get_kwargs(org["id"], body=member))) == 409
    role = MembershipRoleUpdate(role=MembershipRole.OWNER)
    send(vault_http, update_organization_member_role._get_kwargs(org["id"], user["id"], body=role))
    memberships = send(vault_http, list_user_organizations._get_kwargs(user["id"]))["data"]["memberships"]
    assert [(m["role"], m["organization"]["slug"]) for m in memberships] == [("owner", "acme-corp")]
    members = send(vault_http, list_organization_members._get_kwargs(org["id"]))["data"]["members"]
    assert [m["user_id"] for m in members] == [user["id"]]
    send(vault_http, delete_organization._get_kwargs(org["id"]), Expect.NOTHING)
    assert send(vault_http, list_user_organizations._get_kwargs(user["id"]))["data"]["memberships"] == []


def verify(client: SyncAPIClient, token: str) -> Any:
    return send(client, verify_token._get_kwargs(body=TokenVerifyRequest(token=token)))["data"]


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_minted_tokens_verify_with_each_algorithm(
    vault_http: SyncAPIClient, vault_sandbox: SandboxHandle, alg: str
) -> None:
    user = new_user(vault_http)
    token = vault_sandbox.mint_token(user["id"], alg=alg)
    assert verify(vault_http, token)["id"] == user["id"]
    keys = send(vault_http, get_jwks._get_kwargs())["keys"]
    assert alg in {k["alg"] for k in keys}


def test_token_claims_carry_the_organization_role(vault_http: SyncAPIClient, vault_sandbox: SandboxHandle) -> None:
    import jwt

    user = new_user(vault_http)
    org = send(vault_http, create_organization._get_kwargs(body=OrganizationCreate(name="Org")))["data"]
    send(vault_http, add_organization_member._get_kwargs(org["id"], body=MembershipCreate(user_id=user["id"])))
    claims = jwt.decode(vault_sandbox.mint_token(user["id"], org_id=org["id"]), options={"verify_signature": False})
    assert {k: claims[k] for k in ("sub", "email", "org_id", "org_role")} == {
        "sub": user["id"], "email": user["email"], "org_id": org["id"], "org_role": "member",
    }  # fmt: skip
    assert {"sid", "iss", "aud", "iat", "exp", "jti"} <= set(claims)


def test_revoked_sessions_and_deleted_users_are_refused(
    vault_http: SyncAPIClient, vault_sandbox: SandboxHandle
) -> None:
    user = new_user(vault_http)
    token = vault_sandbox.mint_token(user["id"])
    session_id = send(vault_http, list_user_sessions._get_kwargs(user["id"]))["data"]["sessions"][0]["id"]
    send(vault_http, revoke_session._get_kwargs(session_id), Expect.NOTHING)
    assert send(vault_http, get_session._get_kwargs(session_id))["data"]["revoked_at"] is not None
    assert status_of(lambda: verify(vault_http, token)) == 401
    other = vault_sandbox.mint_token(user["id"])
    assert send(vault_http, revoke_all_user_sessions._get_kwargs(user["id"]))["data"]["revoked_count"] == 1
    assert status_of(lambda: verify(vault_http, other)) == 401
    third = vault_sandbox.mint_token(user["id"])
    send(vault_http, delete_user._get_kwargs(user["id"]), Expect.NOTHING)
    assert status_of(lambda: verify(vault_http, third)) == 401


def test_expired_and_clock_shifted_tokens(vault_http: SyncAPIClient, vault_sandbox: SandboxHandle) -> None:
    user = new_user(vault_http)
    with pytest.raises(APIStatusError) as caught:
        verify(vault_http, vault_sandbox.mint_token(user["id"], expires_in=-10))
    assert caught.value.error_code == "TOKEN_EXPIRED"
    token = vault_sandbox.mint_token(user["id"], expires_in=60)
    vault_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": 120})
    assert status_of(lambda: verify(vault_http, token)) == 401


def test_rotation_and_retirement(vault_http: SyncAPIClient, vault_sandbox: SandboxHandle) -> None:
    user = new_user(vault_http)
    old = vault_sandbox.mint_token(user["id"])
    new_kid = vault_sandbox.control("POST", "/sandbox/keys/rotate", {"alg": "RS256"})["kid"]
    fresh = vault_sandbox.mint_token(user["id"])
    assert jwt_kid(fresh) == new_kid
    assert verify(vault_http, old)["id"] == user["id"]
    vault_sandbox.control("POST", f"/sandbox/keys/{jwt_kid(old)}/retire")
    assert jwt_kid(old) not in {k["kid"] for k in send(vault_http, get_jwks._get_kwargs())["keys"]}
    assert status_of(lambda: verify(vault_http, old)) == 401
    assert verify(vault_http, fresh)["id"] == user["id"]


def jwt_kid(token: str) -> str:
    import jwt

    kid: str = jwt.get_unverified_header(token)["kid"]
    return kid


@pytest.mark.parametrize("token", ["", "not.a.jwt", "a" * 9000, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."])
def test_garbage_tokens_are_refused(vault_sandbox: SandboxHandle, token: str) -> None:
    response = httpx.post(
        f"{vault_sandbox.url}/api/v1/auth/verify",
        json={"token": token},
        headers={"Authorization": f"Bearer {vault_sandbox.api_key}"},
    )
    assert response.status_code in (400, 401)
    assert "error" in response.json()


def test_faults_are_retried_by_the_runtime(vault_http: SyncAPIClient, vault_sandbox: SandboxHandle) -> None:
    user = new_user(vault_http)
    vault_sandbox.inject_fault("status", count=2, status=503)
    response = vault_http.request(Call.from_kwargs(get_user._get_kwargs(user["id"])))
    assert response.attempts == 3


def test_rate_limit_fault_carries_retry_after(vault_http: SyncAPIClient, vault_sandbox: SandboxHandle) -> None:
    vault_sandbox.inject_fault("status", count=5, status=429, retry_after=3600)
    with pytest.raises(APIStatusError) as caught:
        vault_http.request(Call.from_kwargs(list_users._get_kwargs()))
    assert (caught.value.status_code, caught.value.error_code) == (429, "RATE_LIMITED")


@pytest.mark.parametrize(("kind", "error"), [("drop", APIConnectionError), ("malformed", APIResponseValidationError)])
def test_broken_answers_become_typed_errors(
    vault_http: SyncAPIClient, vault_sandbox: SandboxHandle, kind: str, error: type[Exception]
) -> None:
    vault_sandbox.inject_fault(kind, count=3)
    with pytest.raises(error):
        vault_http.request(Call.from_kwargs(list_users._get_kwargs()))


def test_html_fault_is_a_status_error(vault_http: SyncAPIClient, vault_sandbox: SandboxHandle) -> None:
    vault_sandbox.inject_fault("html", count=3)
    with pytest.raises(APIStatusError) as caught:
        vault_http.request(Call.from_kwargs(list_users._get_kwargs()))
    assert caught.value.status_code == 502


def test_delay_fault_hits_the_read_timeout(vault_http: SyncAPIClient, vault_sandbox: SandboxHandle) -> None:
    vault_sandbox.inject_fault("delay", count=1, delay=0.5)
    quick = vault_http.with_options(timeout=0.2, max_retries=1)
    assert quick.request(Call.from_kwargs(list_users._get_kwargs())).attempts == 2


def test_idempotency_key_replays_and_refuses_a_different_body(vault_sandbox: SandboxHandle) -> None:
    headers = {"Authorization": f"Bearer {vault_sandbox.api_key}", "Idempotency-Key": "key-1"}
    body = {"email": "idem@example.com", "password": "secure_password"}
    first = httpx.post(f"{vault_sandbox.url}/api/v1/users", json=body, headers=headers)
    again = httpx.post(f"{vault_sandbox.url}/api/v1/users", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = httpx.post(f"{vault_sandbox.url}/api/v1/users", json={**body, "first_name": "X"}, headers=headers)
    assert (other.status_code, other.json()["error"]["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")


def test_reset_forgets_everything(vault_http: SyncAPIClient, vault_sandbox: SandboxHandle) -> None:
    new_user(vault_http)
    vault_sandbox.inject_fault("status", count=10, status=500)
    vault_sandbox.reset()
    assert send(vault_http, list_users._get_kwargs())["data"]["total"] == 0


async def test_async_client_against_the_sandbox(async_vault_http: AsyncAPIClient) -> None:
    body = UserCreate(email="async@example.com", password="secure_password")
    created = (await async_vault_http.request(Call.from_kwargs(create_user._get_kwargs(body=body)))).data["data"]
    fetched = (await async_vault_http.request(Call.from_kwargs(get_user._get_kwargs(created["id"])))).data
    assert fetched["data"]["email"] == "async@example.com"


# Bad input: always the documented 4xx in Vault's error shape, never a 500 ------------------------------------------

BAD_REQUESTS = [
    (
        "unknown field",
        "POST",
        "/api/v1/users",
        {"json": {"email": "a@example.com", "password": "12345678", "x": 1}},
        400,
    ),
    ("wrong type", "POST", "/api/v1/users", {"json": {"email": 5, "password": "12345678"}}, 400),
    ("out of range", "GET", "/api/v1/users?per_page=1000", {}, 400),
    ("not an integer", "GET", "/api/v1/users?page=two", {}, 400),
    ("repeated query", "GET", "/api/v1/users?page=1&page=2", {}, 400),
    ("bad enum", "GET", "/api/v1/users?status=sleeping", {}, 400),
    ("bad enum in body", "POST", "/api/v1/organizations/org_1/members", {"json": {"user_id": "u", "role": "god"}}, 400),
    ("oversized body", "POST", "/api/v1/users", {"content": b"{" + b" " * 70000 + b"}"}, 413),
    ("invalid utf-8", "POST", "/api/v1/users", {"content": b'{"email": "\xff\xfe"}'}, 400),
    ("not json", "POST", "/api/v1/users", {"content": b"email=a", "ct": "application/json"}, 400),
    ("wrong media type", "POST", "/api/v1/users", {"content": b"email=a", "ct": "text/plain"}, 415),
    ("empty required body", "POST", "/api/v1/users", {"content": b""}, 400),
    ("bad path id", "GET", "/api/v1/users/has%20space", {}, 400),
    ("missing auth", "GET", "/api/v1/users", {"auth": None}, 401),
    ("wrong key", "GET", "/api/v1/users", {"auth": "vault_m2m_wrong"}, 401),
    ("wrong scheme", "GET", "/api/v1/users", {"auth": "Basic abc"}, 401),
    ("unknown method", "PUT", "/api/v1/users", {}, 405),
]


@pytest.mark.parametrize(
    ("name", "method", "path", "options", "status"), BAD_REQUESTS, ids=[r[0] for r in BAD_REQUESTS]
)
def test_bad_input_gets_the_documented_4xx(
    vault_sandbox: SandboxHandle, name: str, method: str, path: str, options: dict[str, Any], status: int
) -> None:
    headers = {"Authorization": f"Bearer {vault_sandbox.api_key}"}
    if "auth" in options:
        auth = options["auth"]
        headers = {} if auth is None else {"Authorization": auth if " " in auth else f"Bearer {auth}"}
    if "content" in options:
        headers["Content-Type"] = options.get("ct", "application/json")
    response = httpx.request(
        method, vault_sandbox.url + path, headers=headers, json=options.get("json"), content=options.get("content")
    )
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
