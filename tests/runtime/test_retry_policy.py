"""The retry decisions as pure functions: no client, no clock, no randomness."""

from __future__ import annotations

import email.utils

import pytest

from sdk_runtime.retry import (
    RetryPolicy,
    backoff_delay,
    decide,
    is_retryable_status,
    may_retry_method,
    parse_retry_after,
)

NOW = 1_700_000_000.0
POLICY = RetryPolicy(max_retries=3, retry_delay=0.5, max_retry_delay=8.0, max_retry_after=60.0, jitter=0.25)


def decision(status: int | None, headers: dict[str, str] | None = None, **kw: object) -> tuple[bool, float, str]:
    args: dict[str, object] = {
        "method": "GET",
        "attempt": 0,
        "policy": POLICY,
        "has_idempotency_key": False,
        "status_code": status,
        "headers": headers or {},
        "now": NOW,
        "rand": 0.0,
    }
    args.update(kw)
    d = decide(**args)  # type: ignore[arg-type]
    return d.retry, d.delay, d.reason


@pytest.mark.parametrize(("status", "retryable"), [(408, True), (429, True), (500, True), (503, True), (599, True)])
def test_retryable_statuses(status: int, retryable: bool) -> None:
    assert is_retryable_status(status) is retryable


@pytest.mark.parametrize("status", [200, 301, 400, 401, 403, 404, 409, 422, 600])
def test_other_statuses_are_not_retryable(status: int) -> None:
    assert not is_retryable_status(status)


def test_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "12"}, NOW) == 12.0
    assert parse_retry_after({"retry-after-ms": "1500"}, NOW) == 1.5
    date = email.utils.formatdate(NOW + 90, usegmt=True)
    assert parse_retry_after({"retry-after": date}, NOW) == pytest.approx(90.0)
    past = email.utils.formatdate(NOW - 90, usegmt=True)
    assert parse_retry_after({"retry-after": past}, NOW) == 0.0


@pytest.mark.parametrize("value", ["", "soon", "-5", "1.5e999x", "Mon, 99 Foo 2024 99:99:99"])
def test_unusable_retry_after_is_ignored(value: str) -> None:
    assert parse_retry_after({"retry-after": value}, NOW) is None


def test_backoff_doubles_and_caps() -> None:
    assert [backoff_delay(n, POLICY, 0.0) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert backoff_delay(2, POLICY, 0.999) == pytest.approx(2.0 * (1 - 0.25 * 0.999))


def test_post_needs_an_idempotency_key() -> None:
    assert not may_retry_method("POST", False)
    assert may_retry_method("POST", True)
    assert may_retry_method("get", False)
    assert decision(503, method="POST")[0] is False
    assert decision(503, method="POST", has_idempotency_key=True)[0] is True


def test_exhausted_retries_stop() -> None:
    assert decision(503, attempt=3) == (False, 0.0, "retries exhausted")


def test_connection_errors_retry_with_backoff() -> None:
    assert decision(None, attempt=1) == (True, 1.0, "connection error")


def test_retry_after_within_the_cap_sets_the_wait() -> None:
    assert decision(429, {"retry-after": "30"})[:2] == (True, 30.0)


def test_retry_after_over_the_cap_refuses() -> None:
    retry, _, reason = decision(429, {"retry-after": "61"})
    assert retry is False
    assert "exceeds" in reason


def test_should_retry_header_overrides_status() -> None:
    assert decision(400, {"x-should-retry": "true"})[0] is True
    assert decision(503, {"x-should-retry": "false"})[0] is False


def test_success_is_never_retried() -> None:
    assert decision(200)[0] is False


def test_stripe_policy_retries_409_and_obeys_its_own_header() -> None:
    from sdk_runtime.retry import RetryPolicy

    stripe = RetryPolicy(extra_retryable_statuses=frozenset({409}), should_retry_header="stripe-should-retry")

    def retried(status: int, headers: dict[str, str], policy: RetryPolicy = stripe) -> bool:
        return decide(
            method="POST", attempt=0, policy=policy, has_idempotency_key=True, status_code=status,
            headers=headers, now=0.0, rand=0.5,
        ).retry  # fmt: skip

    assert retried(409, {}) and not retried(409, {}, RetryPolicy())
    assert not retried(503, {"stripe-should-retry": "false"})
    assert retried(400, {"stripe-should-retry": "true"})
    assert not retried(400, {"x-should-retry": "true"})  # another API's header means nothing here
