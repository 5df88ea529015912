"""Faults injected into the next N upstream requests, set through `/sandbox/faults`."""

from __future__ import annotations

import threading

import attrs

FAULT_KINDS = ("status", "delay", "drop", "drop_after", "malformed", "html")


@attrs.define
class Fault:
    """One kind of failure, and how many more requests it applies to.

    Kinds: `status` (answer with `status`, plus `Retry-After` when given), `delay` (wait `delay` seconds, then serve
    normally), `drop` (cut the connection mid-response, before the request is handled), `drop_after` (handle the
    request, so that its effect happens, then cut the connection before the answer: a lost response), `malformed` (a
    truncated JSON body), `html` (an HTML error page). Any kind may also carry a `delay` before it acts.
    """

    kind: str
    remaining: int
    status: int | None = None
    retry_after: int | None = None
    delay: float = 0.0

    def code(self) -> str:
        """The upstream error code this fault's status stands for."""
        codes = {429: "RATE_LIMITED", 503: "SERVICE_UNAVAILABLE", 502: "BAD_GATEWAY", 504: "GATEWAY_TIMEOUT"}
        return codes.get(self.status or 500, "INTERNAL_ERROR")

    def message(self) -> str:
        """The error message of this fault's status."""
        return "Too many requests" if self.status == 429 else "Injected fault"


class FaultQueue:
    """Faults waiting to be applied, oldest first; each request takes at most one."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        """Queue a fault."""
        with self._lock:
            self._faults.append(fault)

    def take(self) -> Fault | None:
        """The fault for this request, if any (spending one of its `remaining`)."""
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.pop(0)
            return fault

    def pending(self) -> int:
        """How many requests are still to be hit."""
        with self._lock:
            return sum(f.remaining for f in self._faults)

    def clear(self) -> None:
        """Drop every queued fault."""
        with self._lock:
            self._faults.clear()
