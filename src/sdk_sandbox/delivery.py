"""Outgoing webhooks and callbacks, shared by every sandbox: where they may go, when a failed one is tried again,
and the worker thread that sends them until the app closes.

- Targets: loopback addresses only (127.0.0.0/8, ::1, `localhost`), unless the sandbox was started with
  `--allow-remote` (`SandboxApp.allow_remote`): a sandbox is a test tool, and a URL copied from an example must
  never reach the internet by accident. A refused target is recorded as a failed delivery naming the reason.
- Retries: `retry_at(now, delays, attempts)` places the next attempt on the **sandbox** clock (`app.now()`), so
  moving the clock forward (`PUT /sandbox/clock`, Stripe's `advance`) makes retries due at once.
- Worker: `DeliveryWorker` runs one API's `send_due()` in a daemon thread whenever woken or every `tick` seconds,
  and stops when `SandboxApp.close()` is called (the CLI, the pytest plugin and the runner call it).
"""

from __future__ import annotations

import ipaddress
import logging
import threading
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

logger: logging.Logger = logging.getLogger("sdk_sandbox")

REMOTE_REFUSED = "not a loopback address: start the sandbox with --allow-remote to deliver to it"


def is_loopback(url: str) -> bool:
    """Whether `url`'s host is this machine (`localhost`, 127.0.0.0/8, ::1)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refusal(url: str, allow_remote: bool) -> str | None:
    """Why `url` may not be delivered to (None when it may)."""
    if urlsplit(url).scheme not in ("http", "https"):
        return "not an http(s) URL"
    if not allow_remote and not is_loopback(url):
        return REMOTE_REFUSED
    return None


def retry_at(now: float, delays: Sequence[float], attempts: int) -> float | None:
    """When, on the sandbox clock, attempt `attempts + 1` is due after `attempts` failed ones; None when the
    schedule `delays` (seconds after the 1st, 2nd, ... failure) is spent."""
    if attempts > len(delays):
        return None
    return now + float(delays[attempts - 1])


class DeliveryWorker:
    """One daemon thread that calls `send_due()` when woken, or `tick` seconds after its last run, until `stop()`.

    `send_due()` sends what is due now on the sandbox clock and may return the seconds until the next item is due
    (None: nothing is waiting); an exception is logged and the worker goes on.
    """

    def __init__(self, name: str, send_due: Callable[[], float | None], tick: float = 0.5) -> None:
        self._send_due = send_due
        self._tick = tick
        self._wakeup = threading.Condition()
        self._woken = False
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Run `send_due()` now (new work was queued, or the sandbox clock moved)."""
        with self._wakeup:
            self._woken = True
            self._wakeup.notify()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current attempt; wait up to `timeout` seconds for the thread."""
        with self._wakeup:
            self._stopped = True
            self._wakeup.notify()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        """Whether the thread is still alive."""
        return self._thread.is_alive()

    def _run(self) -> None:
        while True:
            with self._wakeup:
                if self._stopped:
                    return
                self._woken = False
            try:
                wait = self._send_due()
            except Exception:
                logger.exception("sandbox delivery failed")
                wait = None
            with self._wakeup:
                if self._stopped:
                    return
                if not self._woken:
                    self._wakeup.wait(self._tick if wait is None else max(0.0, min(wait, self._tick)))
