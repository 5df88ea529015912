"""When to retry a request and how long to wait first: pure functions, shared by the sync and async paths."""

from __future__ import annotations

from collections.abc import Mapping

from .values import fill, frozen_value

# Methods whose repetition cannot duplicate an effect. A POST is retried only when it carries an Idempotency-Key.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH", "TRACE"})
RETRYABLE_STATUSES = frozenset({408, 429})
# Answers that say the request was refused before anything was done: the only ones an at-most-once call repeats.
NOT_PROCESSED_STATUSES = frozenset({429, 503})


@frozen_value
class RetryPolicy:
    """How persistently to retry.

    Attributes:
        max_retries: Retries after the first attempt (0 disables retrying).
        retry_delay: Backoff before the first retry, in seconds; it doubles on each further retry.
        max_retry_delay: Cap on one backoff wait, in seconds.
        max_retry_after: The longest server-requested `Retry-After` we wait; a longer one raises at once.
        jitter: Fraction of each backoff wait that is randomised away (0.25 waits between 75% and 100%).
        extra_retryable_statuses: Statuses this API also retries (Stripe's 409: a concurrent request with the
            same Idempotency-Key, which stripe-python retries).
        should_retry_header: The response header whose `true`/`false` overrides the status rules
            (`Stripe-Should-Retry` for Stripe).
    """

    __slots__ = (
        "extra_retryable_statuses",
        "jitter",
        "max_retries",
        "max_retry_after",
        "max_retry_delay",
        "retry_delay",
        "should_retry_header",
    )
    max_retries: int
    retry_delay: float
    max_retry_delay: float
    max_retry_after: float
    jitter: float
    extra_retryable_statuses: frozenset[int]
    should_retry_header: str

    def __init__(
        self,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        max_retry_delay: float = 8.0,
        max_retry_after: float = 60.0,
        jitter: float = 0.25,
        extra_retryable_statuses: frozenset[int] = frozenset(),
        should_retry_header: str = "x-should-retry",
    ) -> None:
        fill(
            self, max_retries=max_retries, retry_delay=retry_delay, max_retry_delay=max_retry_delay,
            max_retry_after=max_retry_after, jitter=jitter, extra_retryable_statuses=extra_retryable_statuses,
            should_retry_header=should_retry_header,
        )  # fmt: skip


@frozen_value
class RetryDecision:
    """Whether to send the request again, after how many seconds, and why (for logs and tests)."""

    __slots__ = ("delay", "reason", "retry")
    retry: bool
    delay: float
    reason: str

    def __init__(self, retry: bool, delay: float = 0.0, reason: str = "") -> None:
        fill(self, retry=retry, delay=delay, reason=reason)


def is_retryable_status(status_code: int) -> bool:
    """408, 429 and every 5xx are worth another attempt."""
    return status_code in RETRYABLE_STATUSES or 500 <= status_code <= 599


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds the server asked us to wait, from `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date.

    Returns None when no usable value is present (absent, negative, or unparseable).
    """
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            value = float(millis) / 1000.0
        except ValueError:
            value = -1.0
        if value >= 0:
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    if raw.isdigit():
        return float(raw)
    import email.utils  # only an HTTP-date Retry-After needs it: kept out of import time

    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


def backoff_delay(attempt: int, policy: RetryPolicy, rand: float) -> float:
    """Exponential backoff for retry number `attempt` (0-based): `retry_delay * 2**attempt`, capped, jittered down.

    `rand` is a uniform draw in [0, 1); passing it in keeps this function pure and testable.
    """
    base = min(policy.retry_delay * (2.0**attempt), policy.max_retry_delay)
    return base * (1.0 - policy.jitter * rand)


def may_retry_method(method: str, has_idempotency_key: bool) -> bool:
    """A request may be repeated if its method is idempotent, or if it carries an Idempotency-Key."""
    return method.upper() in IDEMPOTENT_METHODS or has_idempotency_key


def decide(
    *,
    method: str,
    attempt: int,
    policy: RetryPolicy,
    has_idempotency_key: bool,
    status_code: int | None,
    headers: Mapping[str, str],
    now: float,
    rand: float,
    at_most_once: bool = False,
    reached_server: bool = True,
) -> RetryDecision:
    """Decide what to do after attempt number `attempt` (0-based) ended.

    `status_code` is None when no response arrived (connection error or timeout). A server's explicit
    `x-should-retry: true|false` overrides the status rules; a `Retry-After` beyond `policy.max_retry_after`
    means "do not retry" so the caller hears about the rate limit at once instead of sleeping for minutes.

    An `at_most_once` request (no idempotency key can protect it) is repeated only when it provably did not take
    effect: no answer and `reached_server` False (the connection was never made), or a 429/503 answer.
    """
    if status_code is not None and status_code < 400:
        return RetryDecision(False, reason="success")
    if attempt >= policy.max_retries:
        return RetryDecision(False, reason="retries exhausted")
    if at_most_once:
        if status_code is None and reached_server:
            return RetryDecision(False, reason="the request may have reached the server; repeating it could repeat it")
        if status_code is not None and status_code not in NOT_PROCESSED_STATUSES:
            return RetryDecision(False, reason=f"status {status_code} does not prove the request was not processed")
    elif not may_retry_method(method, has_idempotency_key):
        return RetryDecision(False, reason=f"{method.upper()} without Idempotency-Key is not retried")
    should_retry = headers.get(policy.should_retry_header, "").lower()
    if should_retry == "false":
        return RetryDecision(False, reason="server said x-should-retry: false")
    retryable = (
        status_code is None or is_retryable_status(status_code) or status_code in policy.extra_retryable_statuses
    )
    if not retryable and should_retry != "true":
        return RetryDecision(False, reason=f"status {status_code} is not retryable")
    retry_after = parse_retry_after(headers, now) if status_code is not None else None
    if retry_after is not None:
        if retry_after > policy.max_retry_after:
            return RetryDecision(False, reason=f"Retry-After {retry_after:.0f}s exceeds {policy.max_retry_after:.0f}s")
        return RetryDecision(True, retry_after, reason="server asked to retry after a delay")
    cause = "connection error" if status_code is None else f"status {status_code}"
    return RetryDecision(True, backoff_delay(attempt, policy, rand), reason=cause)
