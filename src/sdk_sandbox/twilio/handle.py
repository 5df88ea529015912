"""The Twilio sandbox's test handle: the test account, message states and status callbacks."""

from __future__ import annotations

import time
from typing import Any

from ..handle import SandboxHandle
from .state import state_of


class TwilioHandle(SandboxHandle):
    """The Twilio sandbox's test handle: the test account, message states and status callbacks."""

    @property
    def runtime_api_key(self) -> str:
        """`AccountSid:AuthToken`, Twilio's Basic credential."""
        return f"{self.account_sid}:{self.auth_token}"

    @property
    def account_sid(self) -> str:
        """The sandbox account's SID (`AC...`)."""
        return state_of(self.app).account_sid

    @property
    def auth_token(self) -> str:
        """The sandbox account's auth token (it also signs the status callbacks)."""
        return state_of(self.app).auth_token

    def advance_message(self, sid: str, to: str | None = None) -> dict[str, Any]:
        """Move a message to its next state now, or through every state up to `to`."""
        message: dict[str, Any] = self.control("POST", f"/sandbox/messages/{sid}/advance", {"to": to} if to else {})
        return message

    def fail_message(self, sid: str, status: str | None = None, error_code: int = 30003) -> dict[str, Any]:
        """End a message `failed` (before sent) or `undelivered` (after) with `error_code`."""
        body: dict[str, Any] = {"error_code": error_code, **({"status": status} if status else {})}
        message: dict[str, Any] = self.control("POST", f"/sandbox/messages/{sid}/fail", body)
        return message

    def callbacks(self, sid: str | None = None) -> list[dict[str, Any]]:
        """Every status callback queued or sent (for one message when `sid` is given), oldest first."""
        path = "/sandbox/callbacks" + (f"?MessageSid={sid}" if sid else "")
        found: list[dict[str, Any]] = self.control("GET", path)["callbacks"]
        return found

    def wait_for_callbacks(self, count: int, sid: str | None = None, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The callbacks once at least `count` have been attempted; AssertionError after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            done = [c for c in self.callbacks(sid) if c["state"] != "pending"]
            if len(done) >= count:
                return done
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(done)} of {count} status callbacks delivered within {timeout}s")
            time.sleep(0.02)
