"""An `httpx2.Client` / `httpx2.AsyncClient` handed in as `http_client=` works like an httpx one: answers read the
same, and every transport failure becomes the same typed error, with the same retry and at-most-once decisions."""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import httpx
import httpx2
import pytest

from sdk_runtime import (
    APIConnectionError,
    APIOutcomeUnknownError,
    APIResponse,
    APIStatusError,
    APITimeoutError,
    AsyncAPIClient,
    Call,
    SyncAPIClient,
)
from sdk_runtime.http_stacks import stack_errors, stack_of

from .exchanges import make_config

GET = Call(method="GET", path="/users/u1")
SEND = Call(method="POST", path="/Messages.json", content=b"To=%2B1", at_most_once=True)


class Scripted:
    """A server scripted in one stack's classes: `replies` are (status, json) pairs or names of that stack's errors."""

    def __init__(self, stack: ModuleType, replies: list[tuple[int, Any] | str]) -> None:
        self.stack, self.replies, self.requests = stack, replies, []  # type: ignore[var-annotated]

    def answer(self, request: Any) -> Any:
        self.requests.append(request)
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if isinstance(reply, str):
            raise getattr(self.stack, reply)("scripted failure", request=request)
        status, body = reply
        return self.stack.Response(status, json=body, headers={"X-Request-ID": "req_1"})


def send(kind: str, stack: ModuleType, scripted: Scripted, call: Call, **client_options: Any) -> APIResponse:
    """Send `call` through an API client of `kind` over an `http_client` of `stack` (sleeps recorded, not slept)."""
    if kind == "sync":
        http = stack.Client(transport=stack.MockTransport(scripted.answer), **client_options)
        client = SyncAPIClient(make_config(), http_client=http)
        client._sleep = lambda seconds: None
        with http:
            return client.request(call)

    async def answer(request: Any) -> Any:
        return scripted.answer(request)

    async def run() -> APIResponse:
        async with stack.AsyncClient(transport=stack.MockTransport(answer), **client_options) as http:
            client = AsyncAPIClient(make_config(), http_client=http)

            async def no_sleep(seconds: float) -> None:
                return None

            client._sleep = no_sleep
            return await client.request(call)

    return asyncio.run(run())


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=[httpx, httpx2], ids=["httpx", "httpx2"])
def stack(request: pytest.FixtureRequest) -> ModuleType:
    module: ModuleType = request.param
    return module


def test_an_answer_reads_the_same(kind: str, stack: ModuleType) -> None:
    scripted = Scripted(stack, [(200, {"id": "u1"})])
    response = send(kind, stack, scripted, GET)
    assert (response.status_code, response.data, response.request_id) == (200, {"id": "u1"}, "req_1")
    assert type(scripted.requests[0]).__module__.split(".")[0] == stack.__name__  # built by the client's own stack


def test_the_clients_own_defaults_and_our_timeout_apply(kind: str, stack: ModuleType) -> None:
    scripted = Scripted(stack, [(200, {})])
    send(kind, stack, scripted, GET, headers={"X-Tenant": "acme"})
    request = scripted.requests[0]
    assert request.headers["X-Tenant"] == "acme"
    assert request.headers["Authorization"].startswith("Bearer ")
    assert request.extensions["timeout"] == make_config().timeout.as_dict()


def test_an_error_answer_is_a_status_error(kind: str, stack: ModuleType) -> None:
    scripted = Scripted(stack, [(404, {"error": {"code": "not_found", "message": "no such user"}})])
    with pytest.raises(APIStatusError) as caught:
        send(kind, stack, scripted, GET)
    assert caught.value.status_code == 404 and "no such user" in caught.value.message


@pytest.mark.parametrize(
    ("failure", "error", "not_error"),
    [
        ("ConnectError", APIConnectionError, APITimeoutError),
        ("ReadError", APIConnectionError, APITimeoutError),
        ("RemoteProtocolError", APIConnectionError, APITimeoutError),
        ("ReadTimeout", APITimeoutError, None),
        ("ConnectTimeout", APITimeoutError, None),
        ("PoolTimeout", APITimeoutError, None),
    ],
)
def test_a_failure_that_persists_is_the_same_typed_error(
    kind: str, stack: ModuleType, failure: str, error: type[Exception], not_error: type[Exception] | None
) -> None:
    scripted = Scripted(stack, [failure])
    with pytest.raises(error) as caught:
        send(kind, stack, scripted, GET)
    assert not_error is None or not isinstance(caught.value, not_error)
    assert len(scripted.requests) == 3  # the first try and max_retries=2 retries
    assert caught.value.request_id is not None


def test_a_failure_then_an_answer_is_retried(kind: str, stack: ModuleType) -> None:
    scripted = Scripted(stack, ["ReadTimeout", "ConnectError", (200, {"ok": True})])
    assert send(kind, stack, scripted, GET).data == {"ok": True}
    assert [r.headers["X-Retry-Count"] for r in scripted.requests] == ["0", "1", "2"]


@pytest.mark.parametrize("failure", ["ConnectError", "ConnectTimeout"])
def test_at_most_once_repeats_what_provably_never_left(kind: str, stack: ModuleType, failure: str) -> None:
    scripted = Scripted(stack, [failure, (201, {"sid": "SM1"})])
    assert send(kind, stack, scripted, SEND).data == {"sid": "SM1"}
    assert len(scripted.requests) == 2


@pytest.mark.parametrize("failure", ["ReadTimeout", "ReadError", "RemoteProtocolError"])
def test_at_most_once_does_not_repeat_what_may_have_arrived(kind: str, stack: ModuleType, failure: str) -> None:
    scripted = Scripted(stack, [failure, (201, {"sid": "SM1"})])
    with pytest.raises(APIOutcomeUnknownError, match="may have reached the server"):
        send(kind, stack, scripted, SEND)
    assert len(scripted.requests) == 1


def test_a_bug_in_a_transport_is_not_taken_for_a_network_failure(kind: str, stack: ModuleType) -> None:
    def broken(request: Any) -> Any:
        raise ZeroDivisionError("transport bug")

    scripted = Scripted(stack, [])
    scripted.answer = broken  # type: ignore[method-assign]
    with pytest.raises(ZeroDivisionError):
        send(kind, stack, scripted, GET)


def test_both_stacks_failures_are_known_and_clients_tell_their_stack() -> None:
    errors = stack_errors()
    assert httpx2.ConnectError in errors.unsent and httpx.ConnectError in errors.unsent
    assert issubclass(httpx2.ReadTimeout, errors.timeout) and issubclass(httpx.ReadTimeout, errors.timeout)
    assert not issubclass(httpx2.ReadTimeout, errors.unsent)
    with httpx2.Client() as new, httpx.Client() as old:
        assert stack_of(new) is httpx2 and stack_of(old) is httpx
    assert stack_of(httpx2.AsyncClient.__new__(httpx2.AsyncClient)) is httpx2  # the class decides, not the state
    assert stack_of(object()) is httpx
