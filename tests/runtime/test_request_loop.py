"""The request loop through `httpx.MockTransport`: retries, waits, idempotency, headers, and every failure branch."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from sdk_runtime import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    Call,
    Expect,
    SDKError,
)

from .exchanges import API_KEY, Runner, json_response

GET = Call("GET", "/api/v1/users/user_1")
POST = Call("POST", "/api/v1/users", json={"email": "a@example.com"})
OK = json_response(200, {"data": {"id": "user_1"}})


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504, 599])
def test_retryable_status_is_retried_until_success(runner: Runner, status: int) -> None:
    exchange = runner.run([json_response(status, {"error": {"code": "X", "message": "busy"}}), OK], GET)
    assert len(exchange.requests) == 2
    assert exchange.response.data == {"data": {"id": "user_1"}}
    assert exchange.response.attempts == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_non_retryable_status_raises_after_one_attempt(runner: Runner, status: int) -> None:
    body = {"error": {"code": "NOPE", "message": "not allowed", "details": {"field": "x"}}}
    with pytest.raises(APIStatusError) as caught:
        runner.run([json_response(status, body, {"X-Request-ID": "req_server"}), OK], GET)
    error = caught.value
    assert (error.status_code, error.error_code, error.message) == (status, "NOPE", "not allowed")
    assert error.details == {"field": "x"}
    assert error.request_id == "req_server"


def test_retries_are_bounded_by_max_retries(runner: Runner) -> None:
    with pytest.raises(APIStatusError) as caught:
        runner.run([json_response(503, {"message": "down"})], GET, max_retries=3)
    assert caught.value.status_code == 503
    assert caught.value.message == "down"


def test_max_retries_zero_sends_once(runner: Runner) -> None:
    exchange_calls: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        exchange_calls.append(request)
        return json_response(500, {"message": "boom"})

    with pytest.raises(APIStatusError):
        runner.run(reply, GET, max_retries=0)
    assert len(exchange_calls) == 1


def test_backoff_grows_exponentially_with_jitter(runner: Runner) -> None:
    replies = [json_response(500, {}), json_response(500, {}), json_response(500, {}), OK]
    exchange = runner.run(replies, GET, max_retries=3, retry_delay=1.0)
    assert len(exchange.sleeps) == 3
    for attempt, slept in enumerate(exchange.sleeps):
        assert 0.75 * 2**attempt <= slept <= 2**attempt


def test_retry_after_seconds_is_honoured(runner: Runner) -> None:
    exchange = runner.run([json_response(429, {}, {"Retry-After": "7"}), OK], GET)
    assert exchange.sleeps == [7.0]


def test_retry_after_http_date_is_honoured(runner: Runner) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    exchange = runner.run([json_response(503, {}, {"Retry-After": when}), OK], GET)
    assert len(exchange.sleeps) == 1
    assert 25 <= exchange.sleeps[0] <= 31


def test_retry_after_over_the_cap_raises_at_once(runner: Runner) -> None:
    calls: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return json_response(429, {"error": {"code": "RATE_LIMITED", "message": "slow down"}}, {"Retry-After": "3600"})

    with pytest.raises(APIStatusError) as caught:
        runner.run(reply, GET)
    assert len(calls) == 1
    assert caught.value.status_code == 429
    assert caught.value.error_code == "RATE_LIMITED"


def test_server_can_veto_a_retry(runner: Runner) -> None:
    with pytest.raises(APIStatusError):
        runner.run([json_response(503, {}, {"x-should-retry": "false"}), OK], GET)


def test_post_gets_one_idempotency_key_reused_on_every_attempt(runner: Runner) -> None:
    exchange = runner.run([json_response(503, {}), json_response(502, {}), json_response(201, {"data": {}})], POST)
    keys = [r.headers["Idempotency-Key"] for r in exchange.requests]
    assert len(keys) == 3
    assert len(set(keys)) == 1
    assert keys[0].startswith("sdk-")


def test_each_logical_post_gets_its_own_key(runner: Runner) -> None:
    first = runner.run([json_response(201, {})], POST)
    second = runner.run([json_response(201, {})], POST)
    assert first.requests[0].headers["Idempotency-Key"] != second.requests[0].headers["Idempotency-Key"]


def test_callers_idempotency_key_is_kept(runner: Runner) -> None:
    call = Call("POST", "/api/v1/users", json={}, headers={"Idempotency-Key": "my-key-1"})
    exchange = runner.run([json_response(500, {}), json_response(201, {})], call)
    assert [r.headers["Idempotency-Key"] for r in exchange.requests] == ["my-key-1", "my-key-1"]


def test_post_without_idempotency_key_is_not_retried(runner: Runner) -> None:
    config = {"auto_idempotency_key": False}
    exchange_requests: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        exchange_requests.append(request)
        return json_response(503, {})

    from .exchanges import Exchange, make_config

    exchange = Exchange(reply)
    client = runner.client(exchange, make_config().replace(**config))
    with pytest.raises(APIStatusError):
        runner.call(client, POST)
    assert len(exchange_requests) == 1
    assert "Idempotency-Key" not in exchange_requests[0].headers


def test_retry_count_header_counts_attempts(runner: Runner) -> None:
    exchange = runner.run([json_response(500, {}), json_response(500, {}), OK], GET)
    assert [r.headers["X-Retry-Count"] for r in exchange.requests] == ["0", "1", "2"]


def test_timeouts_are_retried_then_raise_a_timeout_error(runner: Runner) -> None:
    with pytest.raises(APITimeoutError) as caught:
        runner.run([httpx.ReadTimeout("slow")], GET)
    assert "timed out after 3 attempts" in caught.value.message
    assert caught.value.status_code is None
    assert caught.value.request_id


def test_timeout_then_success(runner: Runner) -> None:
    exchange = runner.run([httpx.ConnectTimeout("slow"), OK], GET)
    assert exchange.response.status_code == 200


def test_connection_errors_are_retried_then_raise(runner: Runner) -> None:
    with pytest.raises(APIConnectionError) as caught:
        runner.run([httpx.ConnectError("refused")], GET)
    assert not isinstance(caught.value, APITimeoutError)
    assert "ConnectError" in caught.value.message


def test_malformed_json_on_success_is_a_validation_error(runner: Runner) -> None:
    bad = httpx.Response(200, content=b'{"data": ', headers={"content-type": "application/json"})
    with pytest.raises(APIResponseValidationError, match="not valid JSON"):
        runner.run([bad], GET)


def test_html_page_on_json_endpoint_success_is_a_validation_error(runner: Runner) -> None:
    page = httpx.Response(200, content=b"<html>hi</html>", headers={"content-type": "text/html"})
    with pytest.raises(APIResponseValidationError, match="text/html"):
        runner.run([page], GET)


def test_html_error_page_is_a_status_error_with_a_clear_message(runner: Runner) -> None:
    page = httpx.Response(502, content=b"<html>Bad Gateway</html>", headers={"content-type": "text/html"})
    with pytest.raises(APIStatusError) as caught:
        runner.run([page], GET, max_retries=0)
    assert caught.value.status_code == 502
    assert caught.value.message == "HTTP 502 Bad Gateway (no JSON error body)"


def test_empty_body_where_json_is_expected_is_a_validation_error(runner: Runner) -> None:
    empty = httpx.Response(200, content=b"", headers={"content-type": "application/json"})
    with pytest.raises(APIResponseValidationError, match="empty body"):
        runner.run([empty], GET)


def test_204_yields_no_data(runner: Runner) -> None:
    exchange = runner.run([httpx.Response(204)], Call("DELETE", "/api/v1/users/user_1"))
    assert exchange.response.status_code == 204
    assert exchange.response.data is None


def test_expect_nothing_ignores_the_body(runner: Runner) -> None:
    call = Call("POST", "/api/v1/sessions/s/revoke", expect=Expect.NOTHING)
    exchange = runner.run([httpx.Response(200, content=b"ok", headers={"content-type": "text/plain"})], call)
    assert exchange.response.data is None


def test_vortex_style_error_body_is_read(runner: Runner) -> None:
    with pytest.raises(APIStatusError) as caught:
        runner.run([json_response(404, {"error": "Invitation not found"})], GET)
    assert caught.value.message == "Invitation not found"


def test_flat_error_body_is_read(runner: Runner) -> None:
    body = {"message": "Validation failed", "code": "VALIDATION_ERROR", "details": {"fields": {"email": ["bad"]}}}
    with pytest.raises(APIStatusError) as caught:
        runner.run([json_response(400, body)], GET)
    assert (caught.value.error_code, caught.value.details) == ("VALIDATION_ERROR", {"fields": {"email": ["bad"]}})


def test_errors_are_sdk_errors_and_never_raw_httpx(runner: Runner) -> None:
    for reply in (httpx.RemoteProtocolError("dropped"), httpx.ReadError("reset"), httpx.DecodingError("gzip")):
        with pytest.raises(SDKError):
            runner.run([reply], GET, max_retries=0)


def test_query_params_and_json_body_are_sent(runner: Runner) -> None:
    call = Call("PATCH", "/api/v1/users/u", params={"page": 2, "status": "active"}, json={"first_name": "Jane"})
    exchange = runner.run([OK], call)
    request = exchange.requests[0]
    assert request.url == httpx.URL("https://api.test/api/v1/users/u?page=2&status=active")
    assert request.content == b'{"first_name":"Jane"}'
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
