"""The Twilio sandbox's life on the sandbox clock: messages move a step when it falls due, and the status callback
of every step goes out, both from one delivery worker (`sdk_sandbox.delivery`) that `app.close()` stops.

The worker starts with the first message (`wake`); creating a message, moving one by a control call, and moving
the sandbox clock (`PUT /sandbox/clock`) wake it, and otherwise it sleeps until the next step or retry is due.
"""

from __future__ import annotations

from typing import Any

import httpx

from ..server import SandboxApp
from . import callbacks
from . import messages as msgs
from .state import state_of

WORKER_NAME = "status-callbacks"


def move_message(app: SandboxApp, row: dict[str, Any], status: str, error_code: int | None = None) -> dict[str, Any]:
    """One transition and its callback (the caller holds the state's lock and wakes the worker)."""
    state = state_of(app)
    data = msgs.transition(app.store, row, status, app.now(), state.step_seconds, error_code)
    if row["callback_url"]:
        callbacks.queue(app, row["sid"], row["callback_url"], msgs.callback_params(data))
    return data


def move_due_messages(app: SandboxApp) -> float | None:
    """Move every message whose next step is due on the sandbox clock, one step each; the seconds until the next
    step is due (None when no message is on its way)."""
    state = state_of(app)
    with state.lock:
        rows = app.store.all("SELECT sid FROM twilio_messages WHERE next_at IS NOT NULL AND next_at <= ?", (app.now(),))
        for found in rows:
            row = msgs.load(app.store, found["sid"])
            status = msgs.next_status(row) if row is not None else None
            if row is not None and status is not None:
                move_message(app, row, status)
        upcoming = app.store.one("SELECT MIN(next_at) AS at FROM twilio_messages WHERE next_at IS NOT NULL")
    if upcoming is None or upcoming["at"] is None:
        return None
    return max(0.0, float(upcoming["at"]) - app.now())


def run_due(app: SandboxApp, client: httpx.Client) -> float | None:
    """What the worker runs: due steps, then due callbacks; the seconds until the next of either is due."""
    waits = [wait for wait in (move_due_messages(app), callbacks.send_due(app, client)) if wait is not None]
    return min(waits) if waits else None


def wake(app: SandboxApp) -> None:
    """Run the worker now (starting it on first use): a message was created or moved, or its callbacks queued."""
    state = state_of(app)
    with state.lock:
        if state.worker is None or not state.worker.running:
            if state.client is not None:
                state.client.close()
            client = httpx.Client(follow_redirects=False, trust_env=False)
            state.client = client
            state.worker = app.start_worker(WORKER_NAME, lambda: run_due(app, client))
        worker = state.worker
    worker.wake()


def stop(app: SandboxApp) -> None:
    """Forget the stopped worker and close its HTTP client (`app.close()` calls it after stopping the worker)."""
    state = state_of(app)
    with state.lock:
        client, state.client, state.worker = state.client, None, None
    if client is not None:
        client.close()
