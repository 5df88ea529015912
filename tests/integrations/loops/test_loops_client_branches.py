"""Retry and error branches of the Loops client, on `httpx.MockTransport` (the sandbox tests cover the real path).

Each answer the transport gives is one Loops could give; the point is how the client turns it into a result dict.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app_integrations.loops import AsyncLoopsClient, LoopsClient

KEY = "loops_test_key_0123456789"
Handler = Callable[[httpx.Request], httpx.Response]


def scripted(*answers: httpx.Response | Exception) -> tuple[Handler, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handle, seen


def client(handler: Handler, **options: Any) -> LoopsClient:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return LoopsClient(
        api_key=KEY, base_url="https://loops.test/api/v1", retry_delay=0.001, http_client=http, **options
    )


def ok() -> httpx.Response:
    return httpx.Response(200, json={"success": True})


def limited() -> httpx.Response:  # a Response is read once, so each answer is a new one
    return httpx.Response(
        429,
        json={"success": False, "message": "Rate limit exceeded"},
        headers={"x-ratelimit-limit": "10", "x-ratelimit-remaining": "0"},
    )


def test_a_429_is_retried_with_the_same_idempotency_key_then_succeeds() -> None:
    handler, seen = scripted(limited(), ok())
    result = client(handler).transactional_email("a@example.com", "tmpl_1", {"name": "Ada"})
    assert result["success"] is True and "simulated" not in result
    keys = {request.headers["Idempotency-Key"] for request in seen}
    assert len(seen) == 2 and len(keys) == 1 and keys == {result["idempotency_key"]}
    body = json.loads(seen[0].content)
    assert body == {"email": "a@example.com", "transactionalId": "tmpl_1", "dataVariables": {"name": "Ada"}}
    assert seen[0].headers["Authorization"] == f"Bearer {KEY}"


def test_a_409_answering_our_own_retry_means_the_first_attempt_was_sent() -> None:
    handler, seen = scripted(
        httpx.ReadError("connection lost after the request went out"),
        httpx.Response(409, json={"success": False, "message": "Idempotency key has been used."}),
    )
    result = client(handler).transactional_email("a@example.com", "tmpl_1")
    assert result["success"] is True and result["deduplicated"] is True
    assert seen[0].headers["Idempotency-Key"] == seen[1].headers["Idempotency-Key"]


def test_a_409_for_a_key_the_caller_chose_is_a_reused_key_failure() -> None:
    handler, _ = scripted(httpx.Response(409, json={"success": False, "message": "Idempotency key has been used."}))
    result = client(handler).transactional_email("a@example.com", "tmpl_1", idempotency_key="order-42")
    assert result == {
        "success": False,
        "error": "Idempotency key has been used.",
        "code": "idempotency_key_reused",
        "status_code": 409,
        "request_id": result["request_id"],
    }


def test_a_429_storm_ends_as_a_rate_limited_failure() -> None:
    handler, seen = scripted(limited(), limited(), limited())
    result = client(handler).event("a@example.com", "signup")
    assert result["success"] is False and result["code"] == "rate_limited" and result["status_code"] == 429
    assert len(seen) == 3


@pytest.mark.parametrize(
    ("answer", "code", "status"),
    [
        (httpx.Response(500, json={"success": False, "message": "boom"}), "server_error", 500),
        (
            httpx.Response(502, text="<html><h1>502 Bad Gateway</h1></html>", headers={"content-type": "text/html"}),
            "server_error",
            502,
        ),
        (
            httpx.Response(200, text='{"success": ', headers={"content-type": "application/json"}),
            "malformed_response",
            200,
        ),
        (httpx.Response(200, text="<html>ok</html>", headers={"content-type": "text/html"}), "malformed_response", 200),
        (httpx.Response(200, json={"success": False}), "malformed_response", 200),
    ],
)
def test_server_errors_and_malformed_answers_are_failure_dicts(answer: httpx.Response, code: str, status: int) -> None:
    handler, _ = scripted(answer, answer, answer)
    result = client(handler, max_retries=0).transactional_email("a@example.com", "tmpl_1")
    assert result["success"] is False and result["code"] == code and result["status_code"] == status
    assert KEY not in json.dumps(result)


def test_a_timeout_is_a_timeout_failure_and_the_key_never_shows(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    handler, seen = scripted(*[httpx.ReadTimeout("slow")] * 3)
    result = client(handler).test_api_key()
    assert result["success"] is False and result["code"] == "timeout" and len(seen) == 3
    assert KEY not in caplog.text and KEY not in repr(client(handler))


def test_an_invalid_key_is_valid_false() -> None:
    handler, _ = scripted(httpx.Response(401, json={"success": False, "error": "Invalid API key"}))
    result = client(handler).test_api_key()
    assert result["success"] is False and result["valid"] is False and result["code"] == "unauthorized"
    assert result["error"] == "Invalid API key"


async def test_the_async_twin_takes_the_same_branches() -> None:
    handler, seen = scripted(limited(), ok())
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncLoopsClient(
        api_key=KEY, base_url="https://loops.test/api/v1", retry_delay=0.001, http_client=http
    ) as loops:
        result = await loops.transactional_email("a@example.com", "tmpl_1")
    assert result["success"] is True and len(seen) == 2
    await http.aclose()
