"""What the Twilio sandbox keeps beside its tables: the test account, how fast and where callbacks go, the status
callbacks waiting to be sent, and the worker that moves messages and sends their callbacks."""

from __future__ import annotations

import threading

import attrs
import httpx

from ..delivery import DeliveryWorker
from ..server import SandboxApp

DEFAULT_STEP_SECONDS = 1.0
DEFAULT_RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 4.0)


@attrs.frozen
class PendingCallback:
    """A status callback (its `twilio_callbacks` row, by `seq`) waiting to be sent, due at `due` on the sandbox
    clock."""

    seq: int
    message_sid: str
    due: float


@attrs.define
class TwilioState:
    """The sandbox's test account (its SID and auth token, which also signs status callbacks), the sandbox
    seconds between two message states, whether non-loopback callback URLs are called, the sandbox seconds before
    the 1st, 2nd, ... retry of a failed callback (`#rc=` in the URL says how many retries), the callbacks waiting
    to be sent (oldest first), and the delivery worker with its HTTP client (started on first use, stopped by
    `app.close()`). `lock` keeps a message's moves and the queue consistent between the worker and requests."""

    account_sid: str
    auth_token: str = attrs.field(repr=False)
    step_seconds: float = DEFAULT_STEP_SECONDS
    remote_callbacks: bool = False
    retry_delays: list[float] = attrs.field(factory=lambda: list(DEFAULT_RETRY_DELAYS))
    pending: list[PendingCallback] = attrs.field(factory=list)
    worker: DeliveryWorker | None = None
    client: httpx.Client | None = None
    lock: threading.RLock = attrs.field(factory=threading.RLock, repr=False)

    def restore(self) -> None:
        """Back to the boot settings, with no callback waiting (the account and the worker stay)."""
        with self.lock:
            self.step_seconds, self.remote_callbacks = DEFAULT_STEP_SECONDS, False
            self.retry_delays = list(DEFAULT_RETRY_DELAYS)
            self.pending.clear()


def state_of(app: SandboxApp) -> TwilioState:
    """The Twilio state of `app` (a TypeError for another API's app)."""
    if not isinstance(app.state, TwilioState):
        raise TypeError(f"{app.api.name} is not the Twilio sandbox")
    return app.state
