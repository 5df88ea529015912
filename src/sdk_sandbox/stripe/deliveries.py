"""Webhook delivery: every event goes to every enabled endpoint that listens for it, signed as Stripe signs.

`Stripe-Signature: t=<now>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the endpoint's whsec_ secret>`. A
delivery that does not get a 2xx is retried on a schedule (Stripe retries for three days; the sandbox's default
schedule is seconds, and settable), on the sandbox clock, by the shared delivery worker (`sdk_sandbox.delivery`:
loopback endpoints only unless `--allow-remote`, stopped by `app.close()`). Order is the emit order unless
`shuffle` is on; `duplicate` sends each event twice, so that handlers prove they neither depend on order nor
process an event twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import threading
import uuid
from typing import Any

import httpx

from .. import delivery
from ..server import SandboxApp
from . import objects as obj
from .state import state_of

TIMEOUT = 5.0


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` value for `body`."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def settings(app: SandboxApp) -> dict[str, Any]:
    """The delivery settings: `shuffle`, `duplicate`, `retry_delays`, `seed`."""
    return state_of(app).delivery


def _listens(endpoint: dict[str, Any], kind: str) -> bool:
    enabled = endpoint.get("enabled_events") or []
    return endpoint.get("status") == "enabled" and ("*" in enabled or kind in enabled)


def enqueue(app: SandboxApp, events: list[dict[str, Any]]) -> None:
    """Queue `events` for every endpoint listening for them, and wake the worker."""
    if not events:
        return
    endpoints = obj.all_of(app.store, "webhook_endpoint")
    options = settings(app)
    jobs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for event in events:
        targets = [endpoint for endpoint in endpoints if _listens(endpoint, event["type"])]
        event["pending_webhooks"] = len(targets)
        obj.save(app.store, event)
        jobs.extend((event, endpoint) for endpoint in targets)
    if options["duplicate"]:
        jobs = [job for job in jobs for _ in (0, 1)]
    if options["shuffle"]:
        random.Random(options["seed"]).shuffle(jobs)  # noqa: S311  (test ordering, not security)
    stamp = app.now()
    for event, endpoint in jobs:
        app.store.execute(
            "INSERT INTO deliveries (id, event_id, endpoint_id, url, status, next_at) "
            "VALUES (?, ?, ?, ?, 'pending', ?)",
            (f"dlv_{uuid.uuid4().hex[:20]}", event["id"], endpoint["id"], endpoint["url"], stamp),
        )
    _worker(app).wake()


def listing(app: SandboxApp, event_id: str | None, status: str | None) -> list[dict[str, Any]]:
    """Deliveries, oldest first, optionally of one event or in one status."""
    rows = app.store.all("SELECT * FROM deliveries ORDER BY seq")
    return [
        {
            key: row[key]
            for key in (
                "id",
                "event_id",
                "endpoint_id",
                "url",
                "status",
                "attempts",
                "last_status",
                "last_error",
                "delivered_at",
            )
        }
        | {"event_type": (obj.load(app.store, row["event_id"]) or {}).get("type")}
        for row in rows
        if (event_id is None or row["event_id"] == event_id) and (status is None or row["status"] == status)
    ]


def send_due(app: SandboxApp, client: httpx.Client) -> float | None:
    """Send every delivery due now on the sandbox clock, in queue order; the seconds until the next one is due."""
    while True:
        row = app.store.one("SELECT * FROM deliveries WHERE status = 'pending' ORDER BY next_at, seq LIMIT 1")
        if row is None:
            return None
        wait = float(row["next_at"]) - app.now()
        if wait > 0:
            return wait
        _attempt(app, client, row)


def _attempt(app: SandboxApp, client: httpx.Client, row: dict[str, Any]) -> None:
    event = obj.load(app.store, row["event_id"], "event")
    endpoint = obj.load(app.store, row["endpoint_id"], "webhook_endpoint")
    if event is None or endpoint is None:
        app.store.execute("UPDATE deliveries SET status = 'failed', last_error = 'gone' WHERE id = ?", (row["id"],))
        return
    refused = delivery.refusal(row["url"], app.allow_remote)
    if refused is not None:
        app.store.execute(
            "UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
            (refused, row["id"]),
        )
        return
    body = json.dumps(event, indent=2).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": sign(body, endpoint["secret"], int(app.now())),
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    }
    status: int | None = None
    error: str | None = None
    try:
        status = client.post(row["url"], content=body, headers=headers).status_code
    except httpx.HTTPError as exc:
        error = type(exc).__name__
    attempts = row["attempts"] + 1
    if status is not None and 200 <= status < 300:
        app.store.execute(
            "UPDATE deliveries SET status = 'succeeded', attempts = ?, last_status = ?, last_error = NULL, "
            "delivered_at = ? WHERE id = ?",
            (attempts, status, app.now(), row["id"]),
        )
        return
    again = delivery.retry_at(app.now(), settings(app)["retry_delays"], attempts)
    app.store.execute(
        "UPDATE deliveries SET status = ?, attempts = ?, last_status = ?, last_error = ?, next_at = ? WHERE id = ?",
        (
            "failed" if again is None else "pending",
            attempts,
            status,
            error or f"HTTP {status}",
            app.now() if again is None else again,
            row["id"],
        ),
    )


_LOCK = threading.Lock()


def _worker(app: SandboxApp) -> delivery.DeliveryWorker:
    """The app's delivery worker, started on first use (stopped by `app.close()`)."""
    with _LOCK:
        state = state_of(app)
        if state.worker is None or not state.worker.running:
            client = httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False)
            state.worker = app.start_worker("webhooks", lambda: send_due(app, client))
            state.clients.append(client)
        worker: delivery.DeliveryWorker = state.worker
        return worker
