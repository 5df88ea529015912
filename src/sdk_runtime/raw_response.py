"""What a call sent and what came back, attempt by attempt: the record behind `with_raw_response`.

While a `Recorder` is active (see `recording`), the runtime writes one `Exchange` per request it sends: the
request's method and URL, its request ID and Idempotency-Key, every attempt (its status or error, how long it
took, and the wait before the next), and the final answer's status and headers. `RawResponse` joins that record to
what the facade's method returned, so `raw.parse()` is exactly what the plain call gives.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

import attrs

T = TypeVar("T")


@attrs.frozen
class Attempt:
    """One try of a request.

    Attributes:
        number: 1 for the first try.
        status_code: The HTTP status answered, or None when no answer arrived.
        error: The kind of failure when no answer arrived (`ConnectError`, `ReadTimeout`, ...), else None.
        elapsed: Seconds from sending to the answer (or the failure).
        wait: Seconds waited before the next try; None for the last one.
        retry_reason: Why there was a next try (`status 503`, `connection error`, ...); None for the last one.
    """

    number: int
    status_code: int | None
    error: str | None
    elapsed: float
    wait: float | None = None
    retry_reason: str | None = None


@attrs.define
class Exchange:
    """One request of a call, as the runtime sent it and as it ended (filled in while it runs).

    Attributes:
        method: The HTTP method.
        url: The URL without its query string.
        request_id: The `X-Request-ID` sent (the answer's own request ID is `RawResponse.request_id`).
        idempotency_key: The `Idempotency-Key` sent (the same on every attempt), or None.
        attempts: Every try, in order.
        status_code: The final answer's status, or None when none arrived.
        headers: The final answer's headers (empty when none arrived).
        response_request_id: The request ID the service answered with, else the one sent.
        content: The final answer's body, as bytes (empty when none arrived).
    """

    method: str
    url: str
    request_id: str
    idempotency_key: str | None
    attempts: list[Attempt] = attrs.field(factory=list)
    status_code: int | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    response_request_id: str | None = None
    content: bytes = b""


class Recorder:
    """Collects the exchanges of the requests sent while it is active."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []

    def start(self, exchange: Exchange) -> Exchange:
        """Add a request that is about to be sent; the runtime fills it in as it goes."""
        self.exchanges.append(exchange)
        return exchange


_ACTIVE: contextvars.ContextVar[Recorder | None] = contextvars.ContextVar("sdk_runtime_recorder", default=None)


@contextmanager
def recording(recorder: Recorder) -> Iterator[Recorder]:
    """Record every request sent inside this block (on this thread, or in this asyncio task) into `recorder`."""
    token = _ACTIVE.set(recorder)
    try:
        yield recorder
    finally:
        _ACTIVE.reset(token)


def active_recorder() -> Recorder | None:
    """The recorder of the call being sent, if it is being recorded."""
    return _ACTIVE.get()


class RawResponse(Generic[T]):
    """The HTTP facts of a call beside its result: `client.with_raw_response.<method>(...)` returns one.

    The facts describe the call's last request (`exchanges` has every request, for the few methods that send more
    than one, such as a token check that first fetches signing keys). A method that sent nothing (a result
    simulated in debug mode, or refused before sending) has no exchange: its status is None.
    """

    def __init__(self, result: T, exchanges: list[Exchange]) -> None:
        self._result = result
        self.exchanges: list[Exchange] = list(exchanges)
        """Every request the call sent, in order."""

    @property
    def exchange(self) -> Exchange | None:
        """The call's last request, or None if it sent none."""
        return self.exchanges[-1] if self.exchanges else None

    @property
    def status_code(self) -> int | None:
        """The HTTP status of the final answer."""
        return self.exchange.status_code if self.exchange else None

    @property
    def headers(self) -> Mapping[str, str]:
        """The final answer's headers (case-insensitive for an answer that arrived)."""
        return self.exchange.headers if self.exchange else {}

    @property
    def content(self) -> bytes:
        """The final answer's body, as it arrived."""
        return self.exchange.content if self.exchange else b""

    def json(self) -> Any:
        """The final answer's body decoded as JSON (raises `ValueError` when it is not JSON)."""
        import json

        return json.loads(self.content)

    @property
    def request_id(self) -> str | None:
        """The request ID the service answered with (else the one sent)."""
        return self.exchange.response_request_id if self.exchange else None

    @property
    def idempotency_key(self) -> str | None:
        """The `Idempotency-Key` sent with the request, or None."""
        return self.exchange.idempotency_key if self.exchange else None

    @property
    def attempts(self) -> list[Attempt]:
        """Every try of the final request: status or error, time taken, and the wait before the next."""
        return list(self.exchange.attempts) if self.exchange else []

    @property
    def retries_taken(self) -> int:
        """How many times the final request was repeated (0 when the first try was the last)."""
        return max(0, len(self.attempts) - 1)

    def parse(self) -> T:
        """What the plain call returns (a model, a page, or the integrations' result dict)."""
        return self._result

    def __repr__(self) -> str:
        return (
            f"RawResponse(status_code={self.status_code!r}, request_id={self.request_id!r}, "
            f"attempts={len(self.attempts)})"
        )


__all__ = ["Attempt", "Exchange", "RawResponse", "Recorder", "active_recorder", "recording"]
