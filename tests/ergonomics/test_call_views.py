"""`with_raw_response` and `with_request_options` on every facade, sync and async, against its sandbox over loopback.

Each scenario is written once and runs with every client of the family: `VaultAuth`, `AsyncVaultAuth`, `Vortex`
(its `_sync` methods and its async ones), and the integrations' Loops, Stripe and Twilio clients and their async
twins. A `Facade` says how to make the client and which of its methods read, write and miss.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import attrs
import pytest

from sdk_runtime import RawResponse, RequestOptions
from sdk_sandbox.pytest_plugin import SandboxHandle

MOBILE = "+12125551234"
SENDER = "+15005550006"


async def maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@attrs.frozen
class Facade:
    """One client of the family, and three of its calls written against any view of it."""

    name: str
    sandbox: str
    make: Callable[[SandboxHandle], Any]
    read: Callable[[Any], Any]
    write: Callable[[Any, SandboxHandle], Any]
    missing: Callable[[Any], Any]
    returns_results: bool = False  # the integrations' clients return result dicts instead of raising
    sends_idempotency_key: bool = True

    def __str__(self) -> str:
        return self.name


def _email() -> str:
    return f"u{uuid.uuid4().hex[:10]}@example.com"


def _vault(cls_name: str) -> Callable[[SandboxHandle], Any]:
    def make(box: SandboxHandle) -> Any:
        import vault_auth

        return getattr(vault_auth, cls_name)(api_key=box.api_key, base_url=box.url, retry_delay=0.01)

    return make


def _vortex(box: SandboxHandle) -> Any:
    from vortex_sdk import Vortex

    return Vortex(api_key=box.api_key, base_url=box.url, retry_delay=0.01)


def _integration(module: str, cls_name: str) -> Callable[[SandboxHandle], Any]:
    def make(box: SandboxHandle) -> Any:
        from importlib import import_module

        cls = getattr(import_module(f"app_integrations.{module}"), cls_name)
        if module == "twilio":
            return cls(box.account_sid, box.auth_token, SENDER, base_url=box.url, retry_delay=0.01, debug_mode=False)
        return cls(api_key=box.api_key, base_url=box.url, retry_delay=0.01, debug_mode=False)

    return make


def _invitation(box: SandboxHandle) -> str:
    return str(box.create_invitation("email", _email())["id"])


FACADES = [
    Facade(
        "VaultAuth", "vault", _vault("VaultAuth"),
        read=lambda c: c.users.list(),
        write=lambda c, box: c.users.create(email=_email(), password="secure_password"),
        missing=lambda c: c.users.get("user_missing"),
    ),
    Facade(
        "AsyncVaultAuth", "vault", _vault("AsyncVaultAuth"),
        read=lambda c: c.users.list(),
        write=lambda c, box: c.users.create(email=_email(), password="secure_password"),
        missing=lambda c: c.users.get("user_missing"),
    ),
    Facade(
        "Vortex (sync)", "vortex", _vortex,
        read=lambda c: c.get_invitations_by_target_sync("email", "nobody@example.com"),
        write=lambda c, box: c.reinvite_sync(_invitation(box)),
        missing=lambda c: c.get_invitation_sync("inv_missing"),
    ),
    Facade(
        "Vortex (async)", "vortex", _vortex,
        read=lambda c: c.get_invitations_by_target("email", "nobody@example.com"),
        write=lambda c, box: c.reinvite(_invitation(box)),
        missing=lambda c: c.get_invitation("inv_missing"),
    ),
    Facade(
        "LoopsClient", "loops", _integration("loops", "LoopsClient"),
        read=lambda c: c.test_api_key(),
        write=lambda c, box: c.create_contact(_email()),
        missing=lambda c: c.delete_contact("nobody@example.com"),
        returns_results=True,
    ),
    Facade(
        "AsyncLoopsClient", "loops", _integration("loops", "AsyncLoopsClient"),
        read=lambda c: c.test_api_key(),
        write=lambda c, box: c.create_contact(_email()),
        missing=lambda c: c.delete_contact("nobody@example.com"),
        returns_results=True,
    ),
    Facade(
        "StripeClient", "stripe", _integration("stripe", "StripeClient"),
        read=lambda c: c.list("customers"),
        write=lambda c, box: c.create_customer(_email()),
        missing=lambda c: c.retrieve_customer("cus_missing"),
        returns_results=True,
    ),
    Facade(
        "AsyncStripeClient", "stripe", _integration("stripe", "AsyncStripeClient"),
        read=lambda c: c.list("customers"),
        write=lambda c, box: c.create_customer(_email()),
        missing=lambda c: c.retrieve_customer("cus_missing"),
        returns_results=True,
    ),
    Facade(
        "TwilioClient", "twilio", _integration("twilio", "TwilioClient"),
        read=lambda c: c.list_messages(),
        write=lambda c, box: c.send_sms(MOBILE, "hi"),
        missing=lambda c: c.get_message_status("SM" + "0" * 32),
        returns_results=True,
        sends_idempotency_key=False,  # a text message is sent at most once, without a key (see Call.at_most_once)
    ),
    Facade(
        "AsyncTwilioClient", "twilio", _integration("twilio", "AsyncTwilioClient"),
        read=lambda c: c.list_messages(),
        write=lambda c, box: c.send_sms(MOBILE, "hi"),
        missing=lambda c: c.get_message_status("SM" + "0" * 32),
        returns_results=True,
        sends_idempotency_key=False,
    ),
]  # fmt: skip


@pytest.fixture(params=FACADES, ids=str)
def facade(request: pytest.FixtureRequest) -> Facade:
    """Each client of the family in turn."""
    chosen: Facade = request.param
    return chosen


@pytest.fixture
def sandbox(facade: Facade, request: pytest.FixtureRequest) -> SandboxHandle:
    """The emptied sandbox of the facade's API."""
    handle: SandboxHandle = request.getfixturevalue(f"{facade.sandbox}_sandbox")
    return handle


@pytest.fixture
async def client(facade: Facade, sandbox: SandboxHandle) -> AsyncIterator[Any]:
    """The facade's client pointed at its sandbox, closed after the test."""
    made = facade.make(sandbox)
    try:
        yield made
    finally:
        if hasattr(made, "aclose"):
            await made.aclose()
        else:
            made.close()


def succeeded(facade: Facade, result: Any) -> bool:
    return not facade.returns_results or result.get("success") is True


async def test_raw_response_has_the_http_facts_and_parses_to_the_plain_result(
    facade: Facade, client: Any, sandbox: SandboxHandle
) -> None:
    raw = await maybe(facade.read(client.with_raw_response))
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.request_id and raw.retries_taken == 0
    assert [(a.number, a.status_code, a.error, a.wait) for a in raw.attempts] == [(1, 200, None, None)]
    plain = await maybe(facade.read(client))
    parsed = raw.parse()
    assert type(parsed) is type(plain) and succeeded(facade, parsed)


async def test_raw_response_of_a_write_shows_the_idempotency_key_sent(
    facade: Facade, client: Any, sandbox: SandboxHandle
) -> None:
    raw = await maybe(facade.write(client.with_raw_response, sandbox))
    assert succeeded(facade, raw.parse()), raw.parse()
    assert raw.status_code in (200, 201)
    if facade.sends_idempotency_key:
        assert raw.idempotency_key and raw.idempotency_key.startswith("sdk-")
    else:
        assert raw.idempotency_key is None


async def test_raw_response_of_a_retried_call_shows_every_attempt(
    facade: Facade, client: Any, sandbox: SandboxHandle
) -> None:
    sandbox.inject_fault("status", count=2, status=503)
    raw = await maybe(facade.read(client.with_raw_response))
    assert succeeded(facade, raw.parse())
    assert [a.status_code for a in raw.attempts] == [503, 503, 200]
    assert raw.retries_taken == 2
    first, second, last = raw.attempts
    assert first.wait is not None and second.wait is not None and last.wait is None
    assert first.retry_reason == "status 503" and last.retry_reason is None


async def test_errors_carry_the_raw_body_and_headers(facade: Facade, client: Any) -> None:
    if facade.returns_results:
        raw = await maybe(facade.missing(client.with_raw_response))
        result = raw.parse()
        assert result["success"] is False and result["status_code"] == 404
        assert raw.status_code == 404 and raw.request_id == result["request_id"]
        return
    from sdk_runtime import SDKError

    with pytest.raises(SDKError) as caught:
        await maybe(facade.missing(client.with_raw_response))
    error = caught.value
    assert error.status_code == 404
    assert error.http_body and error.message in error.http_body  # the parsed message came from this body
    assert error.http_headers is not None and error.http_headers["content-type"].startswith("application/json")


async def test_request_options_reach_the_wire(facade: Facade, client: Any, sandbox: SandboxHandle) -> None:
    trace = f"trace-{uuid.uuid4().hex[:8]}"
    view = client.with_request_options(extra_headers={"X-Request-ID": trace})
    raw = await maybe(facade.read(view.with_raw_response))
    assert raw.request_id == trace and succeeded(facade, raw.parse())
    if facade.sends_idempotency_key:
        key = f"mine-{uuid.uuid4().hex}"
        options = RequestOptions.create(idempotency_key=key)
        written = await maybe(facade.write(client.with_request_options(options).with_raw_response, sandbox))
        assert written.idempotency_key == key and succeeded(facade, written.parse())


async def test_max_retries_per_call(facade: Facade, client: Any, sandbox: SandboxHandle) -> None:
    sandbox.inject_fault("status", count=1, status=503)
    view = client.with_request_options(max_retries=0).with_raw_response
    if facade.returns_results:
        raw = await maybe(facade.read(view))
        assert raw.parse()["success"] is False and [a.status_code for a in raw.attempts] == [503]
    else:
        from sdk_runtime import SDKError

        with pytest.raises(SDKError) as caught:
            await maybe(facade.read(view))
        assert caught.value.status_code == 503
    # The client itself keeps its own retries: the option applied to that one call only.
    sandbox.inject_fault("status", count=1, status=503)
    assert succeeded(facade, await maybe(facade.read(client)))


async def test_timeout_per_call(facade: Facade, client: Any, sandbox: SandboxHandle) -> None:
    sandbox.inject_fault("delay", count=1, delay=2.0)
    view = client.with_request_options(timeout=0.2, max_retries=0)
    if facade.returns_results:
        result = await maybe(facade.read(view))
        assert result["success"] is False and result["code"] == "timeout"
    else:
        from sdk_runtime import SDKError

        with pytest.raises(SDKError, match="timed out after 1 attempt") as caught:
            await maybe(facade.read(view))
        assert "Timeout" in type(caught.value).__name__


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"timout": 5}, "timout"),
        ({"timeout": -1}, "timeout"),
        ({"max_retries": 99}, "max_retries"),
        ({"extra_headers": {"X-Evil": "a\r\nb"}}, "X-Evil"),
        ({"extra_headers": {"Authorization": "Bearer other"}}, "Authorization"),
        ({"idempotency_key": "has space"}, "idempotency_key"),
    ],
)
async def test_refused_options_name_the_problem(
    facade: Facade, client: Any, options: dict[str, Any], named: str
) -> None:
    if facade.returns_results:
        result = await maybe(facade.read(client.with_request_options(**options)))
        assert result["success"] is False and result["code"] == "invalid_argument"
        assert named in result["error"]
        return
    with pytest.raises(ValueError, match=named) as caught:
        client.with_request_options(**options)
    assert type(caught.value).__module__.split(".")[0] == type(client).__module__.split(".")[0]


@pytest.fixture(params=["VaultAuth", "AsyncVaultAuth"])
async def vault(request: pytest.FixtureRequest, vault_sandbox: SandboxHandle) -> AsyncIterator[Any]:
    """A Vault client, sync or async, on the emptied sandbox (whose answers show the body fields and page size)."""
    made = _vault(request.param)(vault_sandbox)
    try:
        yield made
    finally:
        await maybe(made.aclose() if hasattr(made, "aclose") else made.close())


async def test_extra_body_and_query_are_merged(vault: Any) -> None:
    view = vault.with_request_options(extra_body={"first_name": "Extra"})
    user = await maybe(view.users.create(email=_email(), password="secure_password"))
    assert user.first_name == "Extra"
    await maybe(vault.users.create(email=_email(), password="secure_password"))
    page = await maybe(vault.with_request_options(extra_query={"per_page": 1}).users.list())
    assert len(page.data) == 1 and page.has_more


async def test_raw_response_keeps_the_body(facade: Facade, client: Any) -> None:
    raw = await maybe(facade.read(client.with_raw_response))
    assert raw.content and isinstance(raw.json(), dict | list)


@pytest.mark.parametrize("twin", ["sync", "async"])
async def test_extra_body_reaches_json_and_form_bodies_of_the_integrations(
    twin: str, loops_sandbox: SandboxHandle, stripe_sandbox: SandboxHandle, twilio_sandbox: SandboxHandle
) -> None:
    prefix = "" if twin == "sync" else "Async"
    loops = _integration("loops", f"{prefix}LoopsClient")(loops_sandbox)
    stripe = _integration("stripe", f"{prefix}StripeClient")(stripe_sandbox)
    twilio = _integration("twilio", f"{prefix}TwilioClient")(twilio_sandbox)
    try:
        email = _email()
        made = await maybe(loops.with_request_options(extra_body={"firstName": "Ada"}).create_contact(email))
        assert made["success"], made
        found = await maybe(loops.find_contact(email))
        assert found["contacts"][0]["firstName"] == "Ada"  # a JSON body
        customer = await maybe(stripe.with_request_options(extra_body={"description": "VIP"}).create_customer(email))
        assert customer["success"] and customer["customer"]["description"] == "VIP"  # a form the client encoded
        sent = await maybe(twilio.with_request_options(extra_body={"Body": "replaced"}).send_sms(MOBILE, "hi"))
        assert sent["success"] and sent["data"]["body"] == "replaced"  # a form field of the call, replaced
    finally:
        for made_client in (loops, stripe, twilio):
            await maybe(made_client.aclose() if hasattr(made_client, "aclose") else made_client.close())


def test_extra_body_cannot_go_into_a_multipart_body() -> None:
    from sdk_runtime import Call, ConfigurationError
    from sdk_runtime.request_options import options_applied

    call = Call.from_kwargs({"method": "put", "url": "/files/f1", "files": [("purpose", (None, b"avatar"))]})
    with pytest.raises(ConfigurationError, match="neither JSON nor a form") as caught:
        options_applied(call, RequestOptions.create(extra_body={"x": 1}))
    assert caught.value.error_code == "invalid_argument"


def test_options_come_as_an_object_a_mapping_or_keywords_and_keywords_win() -> None:
    base = RequestOptions.create({"timeout": 5, "extra_query": {"a": 1}})
    merged = RequestOptions.create(base, max_retries=0, timeout=2)
    assert (merged.timeout, merged.max_retries, dict(merged.extra_query)) == (2, 0, {"a": 1})
    assert RequestOptions.create() == RequestOptions()
