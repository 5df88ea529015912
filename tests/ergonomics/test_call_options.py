"""Per-call options as keyword arguments (`vault.users.get("user_123", timeout=5)`) on every facade, sync and async.

Each scenario runs with every client of the family against its sandbox over loopback. The clients send through an
`httpx` client with a request hook, so the tests see every attempt as it went to the sandbox (headers, query,
body); the sandbox's own answers show it read them too (it echoes `X-Request-ID`, stores extra body fields, pages
by an extra `per_page`). A last test reads every public method's signature, so a new method cannot forget them.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import attrs
import httpx
import pytest

from sdk_runtime import RequestOptions
from sdk_sandbox.pytest_plugin import SandboxHandle

MOBILE = "+12125551234"
SENDER = "+15005550006"


async def maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def _email() -> str:
    return f"u{uuid.uuid4().hex[:10]}@example.com"


@attrs.define
class Wire:
    """Every request the client sent, as it left for the sandbox (one entry per attempt)."""

    sent: list[httpx.Request] = attrs.field(factory=list)
    clients: list[httpx.Client | httpx.AsyncClient] = attrs.field(factory=list)

    def record(self, request: httpx.Request) -> None:
        self.sent.append(request)

    async def arecord(self, request: httpx.Request) -> None:
        self.sent.append(request)

    def clear(self) -> None:
        self.sent.clear()

    async def close(self) -> None:
        """Close the httpx clients handed to the SDK (it never closes a client it was given)."""
        for http in self.clients:
            await maybe(http.aclose() if isinstance(http, httpx.AsyncClient) else http.close())


@attrs.frozen
class Facade:
    """One client of the family and four of its calls, each taking the per-call options as keywords."""

    name: str
    sandbox: str
    make: Callable[[SandboxHandle, Wire], Any]
    read: Callable[..., Any]  # (client, **options)
    write: Callable[..., Any]  # (client, box, **options): a POST
    strict: Callable[..., Any]  # (client, **options): a method whose `**` takes only options
    returns_results: bool = False  # the integrations' clients return result dicts instead of raising
    retries_writes: bool = True  # Twilio sends a text message at most once
    query: str = "probe"  # a query parameter the read's endpoint takes (Stripe refuses unknown ones, as Stripe does)

    def __str__(self) -> str:
        return self.name


def _hooks(wire: Wire, asynchronous: bool) -> Any:
    http: httpx.Client | httpx.AsyncClient
    if asynchronous:
        http = httpx.AsyncClient(event_hooks={"request": [wire.arecord]})
    else:
        http = httpx.Client(event_hooks={"request": [wire.record]})
    wire.clients.append(http)
    return http


def _vault(cls_name: str) -> Callable[[SandboxHandle, Wire], Any]:
    def make(box: SandboxHandle, wire: Wire) -> Any:
        import vault_auth

        http = _hooks(wire, cls_name.startswith("Async"))
        return getattr(vault_auth, cls_name)(api_key=box.api_key, base_url=box.url, retry_delay=0.01, http_client=http)

    return make


def _vortex(box: SandboxHandle, wire: Wire) -> Any:
    from vortex_sdk import Vortex

    return Vortex(
        api_key=box.api_key, base_url=box.url, retry_delay=0.01,
        http_client=_hooks(wire, False), async_http_client=_hooks(wire, True),
    )  # fmt: skip


def _integration(module: str, cls_name: str) -> Callable[[SandboxHandle, Wire], Any]:
    def make(box: SandboxHandle, wire: Wire) -> Any:
        from importlib import import_module

        cls = getattr(import_module(f"app_integrations.{module}"), cls_name)
        http = _hooks(wire, cls_name.startswith("Async"))
        common = {"base_url": box.url, "retry_delay": 0.01, "debug_mode": False, "http_client": http}
        if module == "twilio":
            return cls(box.account_sid, box.auth_token, SENDER, **common)
        return cls(api_key=box.api_key, **common)

    return make


def _invitation(box: SandboxHandle) -> str:
    return str(box.create_invitation("email", _email())["id"])


FACADES = [
    Facade(
        "VaultAuth", "vault", _vault("VaultAuth"),
        read=lambda c, **o: c.users.list(**o),
        write=lambda c, box, **o: c.users.create(email=_email(), password="secure_password", **o),
        strict=lambda c, **o: c.users.get("user_missing", **o),
    ),
    Facade(
        "AsyncVaultAuth", "vault", _vault("AsyncVaultAuth"),
        read=lambda c, **o: c.users.list(**o),
        write=lambda c, box, **o: c.users.create(email=_email(), password="secure_password", **o),
        strict=lambda c, **o: c.users.get("user_missing", **o),
    ),
    Facade(
        "Vortex (sync)", "vortex", _vortex,
        read=lambda c, **o: c.get_invitations_by_target_sync("email", "nobody@example.com", **o),
        write=lambda c, box, **o: c.reinvite_sync(_invitation(box), **o),
        strict=lambda c, **o: c.get_invitation_sync("inv_missing", **o),
    ),
    Facade(
        "Vortex (async)", "vortex", _vortex,
        read=lambda c, **o: c.get_invitations_by_target("email", "nobody@example.com", **o),
        write=lambda c, box, **o: c.reinvite(_invitation(box), **o),
        strict=lambda c, **o: c.get_invitation("inv_missing", **o),
    ),
    Facade(
        "LoopsClient", "loops", _integration("loops", "LoopsClient"),
        read=lambda c, **o: c.test_api_key(**o),
        write=lambda c, box, **o: c.create_contact(_email(), **o),
        strict=lambda c, **o: c.delete_contact("nobody@example.com", **o),
        returns_results=True,
    ),
    Facade(
        "AsyncLoopsClient", "loops", _integration("loops", "AsyncLoopsClient"),
        read=lambda c, **o: c.test_api_key(**o),
        write=lambda c, box, **o: c.create_contact(_email(), **o),
        strict=lambda c, **o: c.delete_contact("nobody@example.com", **o),
        returns_results=True,
    ),
    Facade(
        "StripeClient", "stripe", _integration("stripe", "StripeClient"),
        read=lambda c, **o: c.list("customers", **o),
        write=lambda c, box, **o: c.create_customer(_email(), **o),
        strict=lambda c, **o: c.retrieve_customer("cus_missing", **o),
        returns_results=True,
        query="email",
    ),
    Facade(
        "AsyncStripeClient", "stripe", _integration("stripe", "AsyncStripeClient"),
        read=lambda c, **o: c.list("customers", **o),
        write=lambda c, box, **o: c.create_customer(_email(), **o),
        strict=lambda c, **o: c.retrieve_customer("cus_missing", **o),
        returns_results=True,
        query="email",
    ),
    Facade(
        "TwilioClient", "twilio", _integration("twilio", "TwilioClient"),
        read=lambda c, **o: c.list_messages(**o),
        write=lambda c, box, **o: c.send_sms(MOBILE, "hi", **o),
        strict=lambda c, **o: c.get_message_status("SM" + "0" * 32, **o),
        returns_results=True,
        retries_writes=False,
    ),
    Facade(
        "AsyncTwilioClient", "twilio", _integration("twilio", "AsyncTwilioClient"),
        read=lambda c, **o: c.list_messages(**o),
        write=lambda c, box, **o: c.send_sms(MOBILE, "hi", **o),
        strict=lambda c, **o: c.get_message_status("SM" + "0" * 32, **o),
        returns_results=True,
        retries_writes=False,
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
def wire() -> Wire:
    """What the client sends, attempt by attempt."""
    return Wire()


@pytest.fixture
async def client(facade: Facade, sandbox: SandboxHandle, wire: Wire) -> AsyncIterator[Any]:
    """The facade's client pointed at its sandbox, closed after the test (with the httpx clients it was given)."""
    made = facade.make(sandbox, wire)
    try:
        yield made
    finally:
        await maybe(made.aclose() if hasattr(made, "aclose") else made.close())
        await wire.close()


def succeeded(facade: Facade, result: Any) -> bool:
    return not facade.returns_results or result.get("success") is True


def _api_requests(wire: Wire) -> list[httpx.Request]:
    """The requests of the call itself (Vault's key fetches are the client's own)."""
    return [r for r in wire.sent if not r.url.path.endswith("/.well-known/jwks.json")]


async def test_extra_headers_and_query_reach_the_sandbox(facade: Facade, client: Any, wire: Wire) -> None:
    trace = f"trace-{uuid.uuid4().hex[:8]}"
    raw = await maybe(
        facade.read(client.with_raw_response, extra_headers={"X-Request-ID": trace}, extra_query={facade.query: trace})
    )
    assert succeeded(facade, raw.parse()), raw.parse()
    assert raw.request_id == trace  # the sandbox answered with the request ID the extra header carried
    (sent,) = wire.sent
    assert sent.headers["x-request-id"] == trace and sent.url.params[facade.query] == trace
    wire.clear()
    assert succeeded(facade, await maybe(facade.read(client)))
    (plain,) = wire.sent
    assert plain.headers["x-request-id"] != trace and facade.query not in plain.url.params  # that call only


async def test_idempotency_key_is_sent_on_every_attempt(
    facade: Facade, client: Any, sandbox: SandboxHandle, wire: Wire
) -> None:
    key = f"mine-{uuid.uuid4().hex}"
    if facade.retries_writes:
        sandbox.inject_fault("status", count=1, status=503)
    result = await maybe(facade.write(client, sandbox, idempotency_key=key))
    assert succeeded(facade, result), result
    sent = [r for r in _api_requests(wire) if r.method == "POST" and "/sandbox/" not in r.url.path]
    assert len(sent) == (2 if facade.retries_writes else 1)
    assert [r.headers["idempotency-key"] for r in sent] == [key] * len(sent)


async def test_max_retries_zero_stops_retries(facade: Facade, client: Any, sandbox: SandboxHandle, wire: Wire) -> None:
    sandbox.inject_fault("status", count=1, status=503)
    if facade.returns_results:
        result = await maybe(facade.read(client, max_retries=0))
        assert result["success"] is False and result["status_code"] == 503
    else:
        from sdk_runtime import SDKError

        with pytest.raises(SDKError) as caught:
            await maybe(facade.read(client, max_retries=0))
        assert caught.value.status_code == 503
    assert len(wire.sent) == 1
    sandbox.inject_fault("status", count=1, status=503)
    assert succeeded(facade, await maybe(facade.read(client)))  # the client keeps its own retries
    assert len(wire.sent) == 3


async def test_timeout_applies_to_the_call(facade: Facade, client: Any, sandbox: SandboxHandle) -> None:
    sandbox.inject_fault("delay", count=1, delay=2.0)
    if facade.returns_results:
        result = await maybe(facade.read(client, timeout=0.2, max_retries=0))
        assert result["success"] is False and result["code"] == "timeout"
        return
    from sdk_runtime import SDKError

    with pytest.raises(SDKError, match="timed out after 1 attempt") as caught:
        await maybe(facade.read(client, timeout=0.2, max_retries=0))
    assert "Timeout" in type(caught.value).__name__


async def test_options_object_and_keywords_on_top(facade: Facade, client: Any, wire: Wire) -> None:
    options = RequestOptions.create(extra_headers={"X-Request-ID": "from-object"}, extra_query={facade.query: "object"})
    result = await maybe(facade.read(client, request_options=options, extra_query={facade.query: "keyword"}))
    assert succeeded(facade, result), result
    (sent,) = wire.sent
    assert sent.headers["x-request-id"] == "from-object" and sent.url.params[facade.query] == "keyword"


async def test_keywords_are_laid_over_a_with_request_options_view(facade: Facade, client: Any, wire: Wire) -> None:
    view = client.with_request_options(extra_headers={"X-Request-ID": "from-view"}, extra_query={facade.query: "view"})
    result = await maybe(facade.read(view, extra_query={facade.query: "call"}))
    assert succeeded(facade, result), result
    (sent,) = wire.sent
    assert sent.headers["x-request-id"] == "from-view" and sent.url.params[facade.query] == "call"


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"timout": 5}, "timout"),
        ({"timeout": -1}, "timeout"),
        ({"max_retries": 99}, "max_retries"),
        ({"extra_headers": {"Authorization": "Bearer other"}}, "Authorization"),
        ({"request_options": {"retries": 1}}, "retries"),
    ],
)
async def test_a_bad_option_is_refused_never_ignored(
    facade: Facade, client: Any, wire: Wire, options: dict[str, Any], named: str
) -> None:
    if facade.returns_results:
        result = await maybe(facade.strict(client, **options))
        assert result["success"] is False and result["code"] == "invalid_argument"
        assert named in result["error"]
    else:
        with pytest.raises(ValueError, match=named) as caught:
            await maybe(facade.strict(client, **options))
        assert type(caught.value).__name__ == "ConfigurationError"
        assert type(caught.value).__module__.split(".")[0] == type(client).__module__.split(".")[0]
    assert wire.sent == []  # nothing was sent


# Options carried to requests sent after the call returned: pages, paginators and generators. ---------------


@pytest.mark.parametrize("cls_name", ["VaultAuth", "AsyncVaultAuth"])
async def test_every_page_of_a_list_carries_the_options_and_nothing_else_does(
    cls_name: str, vault_sandbox: SandboxHandle
) -> None:
    wire = Wire()
    vault = _vault(cls_name)(vault_sandbox, wire)
    try:
        for _ in range(3):
            await maybe(vault.users.create(email=_email(), password="secure_password"))
        wire.clear()
        headers = {"X-Request-ID": "walk"}
        seen: list[str] = []
        if cls_name == "VaultAuth":
            for user in vault.users.list(per_page=1, extra_headers=headers):
                seen.append(user.email)
                vault.users.get(user.id)  # made between pages: not the list's call
        else:
            async for user in vault.users.list(per_page=1, extra_headers=headers):
                seen.append(user.email)
                await vault.users.get(user.id)
        assert len(seen) == 3
        lists = [r for r in wire.sent if r.url.path.endswith("/users") and r.method == "GET"]
        gets = [r for r in wire.sent if "/users/" in r.url.path]
        assert len(lists) == 3 and {r.headers["x-request-id"] for r in lists} == {"walk"}
        assert len(gets) == 3 and "walk" not in {r.headers["x-request-id"] for r in gets}
        wire.clear()
        view = vault.with_request_options(extra_headers={"X-Request-ID": "view"})
        if cls_name == "VaultAuth":
            assert len(list(view.users.list(per_page=1))) == 3
        else:
            assert len([user async for user in view.users.list(per_page=1)]) == 3  # a view's paginator walks too
        assert [r.headers["x-request-id"] for r in wire.sent] == ["view"] * 3
        page = await maybe(vault.users.list(extra_query={"per_page": 1}))  # the sandbox pages by the extra query
        assert len(page.data) == 1 and page.has_more
        user = await maybe(vault.users.create(email=_email(), password="pw_secure_1", extra_body={"first_name": "X"}))
        assert user.first_name == "X"  # the sandbox stored the extra body field
    finally:
        await maybe(vault.aclose() if hasattr(vault, "aclose") else vault.close())
        await wire.close()


@pytest.mark.parametrize("cls_name", ["VaultAuth", "AsyncVaultAuth"])
async def test_verify_token_sends_the_options_to_vault_but_not_to_the_key_fetch(
    cls_name: str, vault_sandbox: SandboxHandle
) -> None:
    wire = Wire()
    vault = _vault(cls_name)(vault_sandbox, wire)
    try:
        user = await maybe(vault.users.create(email=_email(), password="secure_password"))
        token = vault_sandbox.mint_token(user.id)
        wire.clear()
        verified = await maybe(vault.verify_token(token, extra_headers={"X-Request-ID": "check"}, max_retries=0))
        assert verified.id == user.id
        keys = [r for r in wire.sent if r.url.path.endswith("/.well-known/jwks.json")]
        asked = [r for r in wire.sent if r not in keys]
        assert len(keys) == 1 and keys[0].headers["x-request-id"] != "check"  # the client's own fetch
        assert len(asked) == 1 and asked[0].headers["x-request-id"] == "check"
    finally:
        await maybe(vault.aclose() if hasattr(vault, "aclose") else vault.close())
        await wire.close()


@pytest.mark.parametrize("twin", ["sync", "async"])
async def test_stripe_auto_paging_carries_the_options_only_while_it_fetches(
    twin: str, stripe_sandbox: SandboxHandle
) -> None:
    wire = Wire()
    stripe = _integration("stripe", "StripeClient" if twin == "sync" else "AsyncStripeClient")(stripe_sandbox, wire)
    try:
        for _ in range(3):
            assert (await maybe(stripe.create_customer(_email())))["success"]
        wire.clear()
        walked = stripe.auto_paging("customers", limit=1, extra_headers={"X-Request-ID": "walk"})
        ids = []
        if twin == "sync":
            for customer in walked:
                ids.append(customer["id"])
                stripe.retrieve_customer(customer["id"])
        else:
            async for customer in walked:
                ids.append(customer["id"])
                await stripe.retrieve_customer(customer["id"])
        assert len(ids) == 3
        lists = [r for r in wire.sent if r.url.path.endswith("/customers")]
        reads = [r for r in wire.sent if "/customers/" in r.url.path]
        assert len(lists) >= 3 and {r.headers["x-request-id"] for r in lists} == {"walk"}
        assert len(reads) == 3 and "walk" not in {r.headers["x-request-id"] for r in reads}
    finally:
        await maybe(stripe.aclose() if hasattr(stripe, "aclose") else stripe.close())
        await wire.close()


@pytest.mark.parametrize("twin", ["sync", "async"])
async def test_extra_body_keyword_reaches_json_and_form_bodies_of_the_integrations(
    twin: str, loops_sandbox: SandboxHandle, stripe_sandbox: SandboxHandle, twilio_sandbox: SandboxHandle
) -> None:
    prefix = "" if twin == "sync" else "Async"
    wire = Wire()
    loops = _integration("loops", f"{prefix}LoopsClient")(loops_sandbox, wire)
    stripe = _integration("stripe", f"{prefix}StripeClient")(stripe_sandbox, wire)
    twilio = _integration("twilio", f"{prefix}TwilioClient")(twilio_sandbox, wire)
    try:
        email = _email()
        made = await maybe(loops.create_contact(email, extra_body={"firstName": "Ada"}))
        assert made["success"], made
        found = await maybe(loops.find_contact(email))
        assert found["contacts"][0]["firstName"] == "Ada"  # a JSON body
        customer = await maybe(stripe.create_customer(email, extra_body={"description": "VIP"}))
        assert customer["success"] and customer["customer"]["description"] == "VIP"  # a form the client encoded
        sent = await maybe(twilio.send_sms(MOBILE, "hi", extra_body={"Body": "replaced"}))
        assert sent["success"] and sent["data"]["body"] == "replaced"  # a form field of the call, replaced
    finally:
        for made_client in (loops, stripe, twilio):
            await maybe(made_client.aclose() if hasattr(made_client, "aclose") else made_client.close())
        await wire.close()


@pytest.mark.parametrize("twin", ["sync", "async"])
async def test_an_api_argument_keeps_its_name_and_the_option_names_are_options(
    twin: str, loops_sandbox: SandboxHandle, stripe_sandbox: SandboxHandle
) -> None:
    prefix = "" if twin == "sync" else "Async"
    wire = Wire()
    loops = _integration("loops", f"{prefix}LoopsClient")(loops_sandbox, wire)
    stripe = _integration("stripe", f"{prefix}StripeClient")(stripe_sandbox, wire)
    try:
        email = _email()
        # Loops' contact properties: `firstName` stays a property, `extra_headers` is the option.
        made = await maybe(loops.create_contact(email, firstName="Ada", extra_headers={"X-Request-ID": "opt"}))
        assert made["success"], made
        assert (await maybe(loops.find_contact(email)))["contacts"][0]["firstName"] == "Ada"
        assert wire.sent[-2].headers["x-request-id"] == "opt"
        # Stripe's own `idempotency_key` argument stays Stripe's (validated, echoed in the result) and is sent.
        key = f"stripe-{uuid.uuid4().hex}"
        customer = await maybe(stripe.create_customer(email, idempotency_key=key, timeout=5))
        assert customer["success"] and customer["idempotency_key"] == key
        assert wire.sent[-1].headers["idempotency-key"] == key
        # A misspelt option among API arguments is the API's to refuse (Stripe knows no `timout`).
        refused = await maybe(stripe.create_customer(email, timout=5))
        assert refused["success"] is False and refused["code"] == "invalid_argument" and "timout" in refused["error"]
    finally:
        for made_client in (loops, stripe):
            await maybe(made_client.aclose() if hasattr(made_client, "aclose") else made_client.close())
        await wire.close()


# Every public method takes the options. ------------------------------------------------------------------------

# Methods that send no request of their own for the caller (local work, views, copies, closing), with the reason.
SENDS_NOTHING = {
    "decode_token": "reads a token locally",
    "verify_token_locally": "checks a token locally (its key fetch is the client's own)",
    "generate_jwt": "signs locally",
    "generate_token": "signs locally",
    "sign": "signs locally",
    "verify_webhook_signature": "verifies locally",
    "with_options": "makes a client",
    "with_request_options": "makes a view (the options object itself)",
    "close": "closes",
    "aclose": "closes",
    "close_sync": "closes",
}


def _facade_classes() -> list[type]:
    from app_integrations.loops import AsyncLoopsClient, LoopsClient
    from app_integrations.stripe import AsyncStripeClient, StripeClient
    from app_integrations.twilio import AsyncTwilioClient, TwilioClient
    from vault_auth import AsyncVaultAuth, VaultAuth
    from vault_auth.organizations import AsyncOrganizations, Organizations
    from vault_auth.sessions import AsyncSessions, Sessions
    from vault_auth.users import AsyncUsers, Users
    from vortex_sdk import Vortex

    return [
        VaultAuth, AsyncVaultAuth, Users, AsyncUsers, Organizations, AsyncOrganizations, Sessions, AsyncSessions,
        Vortex, LoopsClient, AsyncLoopsClient, StripeClient, AsyncStripeClient, TwilioClient, AsyncTwilioClient,
    ]  # fmt: skip


def _public_methods(cls: type) -> list[tuple[str, Any]]:
    found = []
    for name in dir(cls):
        if name.startswith("_") or name in SENDS_NOTHING:
            continue
        value = inspect.getattr_static(cls, name)
        if isinstance(value, staticmethod | classmethod):
            value = value.__func__
        if inspect.isfunction(value):
            found.append((name, getattr(cls, name)))
    return found


@pytest.mark.parametrize("cls", _facade_classes(), ids=lambda cls: cls.__qualname__)
def test_every_public_method_takes_the_options(cls: type) -> None:
    methods = _public_methods(cls)
    assert methods, cls
    missing = []
    for name, method in methods:
        parameters = inspect.signature(method).parameters
        declared = parameters.get("request_options")
        rest = next((p for p in parameters.values() if p.kind is p.VAR_KEYWORD), None)
        typed = rest is not None and (
            "RequestOptionsArgs" in str(rest.annotation) or "SubscriptionUpdate" in str(rest.annotation)
        )
        takes_options = declared is not None and declared.kind is declared.KEYWORD_ONLY and rest is not None
        if not (takes_options and hasattr(method, "__wrapped__")):
            missing.append(name)
        elif not typed:
            assert rest is not None and rest.name != "options", f"{cls.__name__}.{name}: untyped **options"
    assert not missing, f"{cls.__qualname__} methods without per-call options: {missing}"


def test_stripe_subscription_update_arguments_name_every_option_but_stripe_s_own_key() -> None:
    from app_integrations.stripe.types import SubscriptionUpdate
    from sdk_runtime import RequestOptionsArgsWithoutKey

    assert set(RequestOptionsArgsWithoutKey.__annotations__) <= set(SubscriptionUpdate.__annotations__)


def test_a_method_that_does_not_declare_request_options_is_a_bug_found_at_import() -> None:
    from sdk_runtime import accepts_request_options

    with pytest.raises(TypeError, match="request_options"):

        @accepts_request_options
        def get(user_id: str) -> None:
            """A method that forgot the parameter."""

    with pytest.raises(TypeError, match="not option names"):

        @accepts_request_options(own=("idempotency",))
        def send(*, request_options: RequestOptions | None = None, **fields: Any) -> None:
            """A method naming an option that does not exist."""


def test_the_keyword_options_are_the_options_object_s_fields() -> None:
    # The option names the decorator takes off a call, the keywords editors see, and `RequestOptions`' fields.
    from sdk_runtime import option_keywords, request_options

    assert request_options.OPTION_NAMES == (
        "timeout", "max_retries", "idempotency_key", "extra_headers", "extra_query", "extra_body",
    )  # fmt: skip
    assert set(option_keywords.RequestOptionsArgs.__annotations__) == set(request_options.OPTION_NAMES)
    assert {field.name for field in attrs.fields(request_options.RequestOptions)} == set(request_options.OPTION_NAMES)
