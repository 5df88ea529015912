"""The handle tests hold on a running sandbox: its URLs and key, and the control calls every API shares.

Each API's own handle (`sdk_sandbox.<api>.handle`) adds the control calls of that API only (`StripeHandle.trigger`,
`TwilioHandle.advance_message`, ...); the pytest plugin hands each fixture the handle of its API.
"""

from __future__ import annotations

from typing import Any

import httpx

from .server import SandboxApp


class SandboxHandle:
    """A running sandbox and the control calls every API has (faults, reset)."""

    def __init__(self, app: SandboxApp, url: str, root_url: str) -> None:
        self.app = app
        self.url = url
        """The API's base URL (what an SDK's `base_url` is set to); control endpoints live under `root_url`."""
        self.api_key: str = next(iter(app.api_keys))
        self.root_url = root_url
        """The sandbox server's own root (its `/sandbox/` control endpoints and pages)."""
        self._control = httpx.Client(base_url=root_url, timeout=10)

    def control(self, method: str, path: str, json: Any = None) -> Any:
        """Call a `/sandbox/` control endpoint and return its JSON (None for 204); raise on an error status."""
        response = self._control.request(method, path, json=json)
        response.raise_for_status()
        return response.json() if response.content else None

    def inject_fault(self, kind: str, count: int = 1, **options: Any) -> None:
        """Make the next `count` requests fail (`status`, `retry_after`, `delay`)."""
        self.control("POST", "/sandbox/faults", {"kind": kind, "count": count, **options})

    @property
    def runtime_api_key(self) -> str:
        """The credential an `sdk_runtime` client sends (Twilio's is `AccountSid:AuthToken`)."""
        return self.api_key

    def reset(self) -> None:
        """Back to an empty sandbox."""
        self.control("POST", "/sandbox/reset")

    def close(self) -> None:
        """Release the control client."""
        self._control.close()
