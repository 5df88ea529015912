"""What the Twilio sandbox keeps beside its tables: the test account, and how fast and where callbacks go."""

from __future__ import annotations

import asyncio

import attrs

from ..server import SandboxApp

DEFAULT_STEP_SECONDS = 1.0


@attrs.define
class TwilioState:
    """The sandbox's test account (its SID and auth token, which also signs status callbacks), the sandbox
    seconds between two message states, whether non-loopback callback URLs are called, and the event that wakes
    the clock task."""

    account_sid: str
    auth_token: str = attrs.field(repr=False)
    step_seconds: float = DEFAULT_STEP_SECONDS
    remote_callbacks: bool = False
    wake: asyncio.Event | None = None

    def restore(self) -> None:
        """Back to the boot settings (the account stays)."""
        self.step_seconds, self.remote_callbacks = DEFAULT_STEP_SECONDS, False


def state_of(app: SandboxApp) -> TwilioState:
    """The Twilio state of `app` (a TypeError for another API's app)."""
    if not isinstance(app.state, TwilioState):
        raise TypeError(f"{app.api.name} is not the Twilio sandbox")
    return app.state


def wake_clock(app: SandboxApp) -> None:
    """Wake the Twilio clock task now (a message moved, or its callbacks are queued)."""
    event = state_of(app).wake
    if event is not None:
        event.set()
