"""`Call.at_most_once`: a request no idempotency key protects is repeated only when it provably never arrived."""

from __future__ import annotations

import httpx
import pytest

from sdk_runtime import APIConnectionError, APIOutcomeUnknownError, APIStatusError, APITimeoutError, Call
from sdk_runtime.errors import read_error_body
from sdk_runtime.retry import RetryPolicy, decide

from .exchanges import Runner, json_response

SEND = Call(method="POST", path="/Messages.json", content=b"To=%2B1", at_most_once=True)
CREATED = json_response(201, {"sid": "SM1"})


def test_no_idempotency_key_is_sent(runner: Runner) -> None:
    exchange = runner.run([CREATED], SEND)
    assert "Idempotency-Key" not in exchange.requests[0].headers


@pytest.mark.parametrize("error", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow connect")])
def test_a_request_that_never_left_is_retried(runner: Runner, error: Exception) -> None:
    exchange = runner.run([error, CREATED], SEND)
    assert len(exchange.requests) == 2


@pytest.mark.parametrize("status", [429, 503])
def test_answers_that_say_nothing_was_done_are_retried(runner: Runner, status: int) -> None:
    exchange = runner.run([json_response(status, {"code": 20429}), CREATED], SEND)
    assert len(exchange.requests) == 2


@pytest.mark.parametrize(
    "error", [httpx.ReadTimeout("no answer"), httpx.RemoteProtocolError("dropped"), httpx.ReadError("reset")]
)
def test_a_request_that_may_have_arrived_is_not_repeated(runner: Runner, error: Exception) -> None:
    exchange_requests: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        exchange_requests.append(request)
        raise error

    from .exchanges import Exchange

    exchange = Exchange(reply)
    with pytest.raises(APIOutcomeUnknownError) as caught:
        runner.call(runner.client(exchange), SEND)
    assert len(exchange_requests) == 1
    assert "may have reached the server" in caught.value.message
    assert isinstance(caught.value, APIConnectionError)  # existing handlers of connection errors still catch it


@pytest.mark.parametrize("status", [500, 502, 504, 408])
def test_other_error_answers_are_not_repeated(runner: Runner, status: int) -> None:
    from .exchanges import Exchange

    exchange = Exchange([json_response(status, {}), CREATED])
    with pytest.raises(APIStatusError):
        runner.call(runner.client(exchange), SEND)
    assert len(exchange.requests) == 1


def test_connect_failures_that_persist_are_a_plain_connection_error(runner: Runner) -> None:
    with pytest.raises(APIConnectionError) as caught:
        runner.run([httpx.ConnectError("refused")], SEND)
    assert not isinstance(caught.value, APIOutcomeUnknownError)
    with pytest.raises(APITimeoutError):
        runner.run([httpx.ConnectTimeout("slow")], SEND)


def test_the_decision_is_a_pure_function() -> None:
    policy = RetryPolicy(max_retries=2)
    common = {"method": "POST", "attempt": 0, "policy": policy, "has_idempotency_key": False, "headers": {},
              "now": 0.0, "rand": 0.0, "at_most_once": True}  # fmt: skip
    assert not decide(status_code=None, reached_server=True, **common).retry  # type: ignore[arg-type]
    assert decide(status_code=None, reached_server=False, **common).retry  # type: ignore[arg-type]
    assert decide(status_code=503, **common).retry  # type: ignore[arg-type]
    assert not decide(status_code=500, **common).retry  # type: ignore[arg-type]


def test_numeric_error_codes_are_read_as_text() -> None:
    body = {"code": 21211, "message": "The 'To' number is not valid.", "more_info": "https://x", "status": 400}
    read = read_error_body(body)
    assert (read.code, read.message) == ("21211", "The 'To' number is not valid.")
    assert read.details == {"more_info": "https://x"}
    assert read_error_body({"code": True, "message": "m"}).code is None
