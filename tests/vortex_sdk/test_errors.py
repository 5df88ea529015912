"""Failures a user can hit, each raised as a `VortexApiError` subclass with status and message, never a raw error."""

from __future__ import annotations

import socket

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from vortex_sdk import (
    ConfigurationError,
    Vortex,
    VortexApiError,
    VortexAuthenticationError,
    VortexConnectionError,
    VortexRateLimitError,
    VortexResponseError,
    VortexServerError,
    VortexTimeoutError,
)

EMAIL = "user@example.com"
OTHER_KEY = "VRTX.AAAAAAAAAAAAAAAAAAAAAA.not_the_sandbox_key"


def client(sandbox: SandboxHandle, **options: object) -> Vortex:
    return Vortex(api_key=sandbox.api_key, base_url=sandbox.url, retry_delay=0.01, **options)  # type: ignore[arg-type]


async def test_wrong_key_is_401_and_never_echoed(vortex_sandbox: SandboxHandle) -> None:
    async with Vortex(api_key=OTHER_KEY, base_url=vortex_sandbox.url) as vortex:
        with pytest.raises(VortexAuthenticationError) as caught:
            await vortex.get_invitations_by_target("email", EMAIL)
    assert caught.value.status_code == 401
    assert "not_the_sandbox_key" not in f"{caught.value} {caught.value!r} {caught.value.message}"


async def test_server_errors_are_retried_then_raised(vortex_sandbox: SandboxHandle) -> None:
    created = vortex_sandbox.create_invitation("email", EMAIL)
    async with client(vortex_sandbox) as vortex:
        vortex_sandbox.inject_fault("status", count=2, status=503)
        assert (await vortex.get_invitation(created["id"])).id == created["id"]  # third attempt succeeds
        vortex_sandbox.inject_fault("status", count=3, status=500)
        with pytest.raises(VortexServerError) as caught:
            vortex.get_invitation_sync(created["id"])
    assert caught.value.status_code == 500 and caught.value.message


def test_rate_limit_carries_retry_after(vortex_sandbox: SandboxHandle) -> None:
    vortex_sandbox.inject_fault("status", count=5, status=429, retry_after=3600)  # longer than we ever wait
    with client(vortex_sandbox) as vortex, pytest.raises(VortexRateLimitError) as caught:
        vortex.get_invitations_by_target_sync("email", EMAIL)
    assert (caught.value.status_code, caught.value.retry_after) == (429, 3600)


async def test_timeout(vortex_sandbox: SandboxHandle) -> None:
    vortex_sandbox.inject_fault("delay", count=5, delay=0.5)
    async with client(vortex_sandbox, timeout=0.1, max_retries=1) as vortex:
        with pytest.raises(VortexTimeoutError) as caught:
            await vortex.get_invitations_by_target("email", EMAIL)
    assert isinstance(caught.value, VortexConnectionError)
    assert caught.value.status_code == 500 and caught.value.message.startswith("Request failed: ")


def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed when the block ends: nothing listens there
    vortex = Vortex(api_key=OTHER_KEY, base_url=f"http://127.0.0.1:{port}/api/v1", retry_delay=0.01)
    with vortex, pytest.raises(VortexConnectionError) as caught:
        vortex.get_invitation_sync("inv-1")
    assert caught.value.status_code == 500
    assert "not_the_sandbox_key" not in str(caught.value)


async def test_truncated_json_is_a_response_error(vortex_sandbox: SandboxHandle) -> None:
    created = vortex_sandbox.create_invitation("email", EMAIL)
    vortex_sandbox.inject_fault("malformed", count=1)
    async with client(vortex_sandbox, max_retries=0) as vortex:
        with pytest.raises(VortexResponseError) as caught:
            await vortex.get_invitation(created["id"])
    assert caught.value.status_code == 500 and "not valid JSON" in caught.value.message


def test_html_error_page_gets_upstreams_fallback_message(vortex_sandbox: SandboxHandle) -> None:
    vortex_sandbox.inject_fault("html", count=1)
    with client(vortex_sandbox, max_retries=0) as vortex, pytest.raises(VortexServerError) as caught:
        vortex.get_invitations_by_target_sync("email", EMAIL)
    assert (caught.value.status_code, caught.value.message) == (502, "API request failed with status 502")


def test_answer_of_the_wrong_shape_is_a_response_error(vortex_sandbox: SandboxHandle) -> None:
    import httpx

    def transport(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"id": "inv-1", "status": "delivered"})  # most required fields missing

    http = httpx.Client(transport=httpx.MockTransport(transport))
    vortex = Vortex(api_key=OTHER_KEY, base_url="http://127.0.0.1:9/api/v1", http_client=http)
    with vortex, pytest.raises(VortexResponseError) as caught:
        vortex.get_invitation_sync("inv-1")
    assert caught.value.status_code == 500 and "unexpected response body" in caught.value.message


def test_error_without_a_json_body_uses_upstreams_message() -> None:
    import httpx

    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(418, text="<html>teapot</html>")))
    vortex = Vortex(api_key=OTHER_KEY, base_url="http://127.0.0.1:9/api/v1", http_client=http)
    with vortex, pytest.raises(VortexApiError) as caught:
        vortex.get_invitation_sync("inv-1")
    assert type(caught.value) is VortexApiError
    assert (caught.value.message, caught.value.status_code) == ("API request failed with status 418", 418)


@pytest.mark.parametrize(
    "options",
    [{"timeout": 0}, {"timeout": float("inf")}, {"max_retries": -1}, {"base_url": "ftp://x"}, {"request_id": "a b"}],
)
def test_bad_options_fail_at_construction(options: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        Vortex(api_key=OTHER_KEY, **options)  # type: ignore[arg-type]


async def test_with_options_shares_pools_and_validates(vortex_sandbox: SandboxHandle) -> None:
    created = vortex_sandbox.create_invitation("email", EMAIL)
    async with client(vortex_sandbox) as vortex:
        patient = vortex.with_options(max_retries=0)
        vortex_sandbox.inject_fault("status", count=1, status=503)
        with pytest.raises(VortexServerError):
            await patient.get_invitation(created["id"])
        assert (await vortex.get_invitation(created["id"])).id == created["id"]
        with pytest.raises(ConfigurationError):
            vortex.with_options(timeout=-1)
