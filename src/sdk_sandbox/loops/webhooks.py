"""Loops webhooks: Standard Webhooks signing, and delivery through the shared delivery worker.

The wire format is Standard Webhooks: headers `webhook-id` (the same on
every retry of one event), `webhook-timestamp` (integer seconds on the sandbox clock) and `webhook-signature`
(`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the base64-decoded part of `whsec_<base64>`).

Delivery follows the rules every sandbox shares (`sdk_sandbox.delivery`): loopback endpoints only unless the
sandbox was started with `--allow-remote`; a failed attempt is tried again `backoff * attempt` seconds later on
the **sandbox** clock (so `PUT /sandbox/clock` makes a waiting retry go at once); the worker thread stops when
`SandboxApp.close()` is called. Events go out one at a time in the order they were queued.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import threading
import uuid
from collections.abc import Mapping
from typing import Any

import attrs
import httpx

from .. import delivery
from ..server import SandboxApp
from ..state import Store

SCHEMA_VERSION = "1.0.0"
SECRET_PREFIX = "whsec_"  # noqa: S105  (a prefix, not a secret)
DELIVERIES_TABLE = """
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, event_name TEXT NOT NULL, url TEXT NOT NULL,
    attempt INTEGER NOT NULL, status INTEGER, error TEXT, at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE NOT NULL, event_name TEXT NOT NULL, body TEXT NOT NULL
);
"""


class InvalidSecret(ValueError):
    """A webhook secret that is not `whsec_` followed by base64 of 24 to 64 bytes."""


def new_secret() -> str:
    """A fresh `whsec_<base64>` secret (32 random bytes), the form Loops shows in its dashboard."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_` secret; raises `InvalidSecret` for any other form."""
    if not secret.startswith(SECRET_PREFIX):
        raise InvalidSecret("the secret must start with whsec_")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidSecret("the secret is not valid base64 after whsec_") from None
    if not 24 <= len(key) <= 64:
        raise InvalidSecret("the secret must decode to 24 to 64 bytes")
    return key


def sign(secret: str, event_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` value of one delivery: `v1,<base64 HMAC-SHA256>`."""
    digest = hmac.new(secret_key(secret), f"{event_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret: str, event_id: str, timestamp: int, body: str) -> dict[str, str]:
    """The three Standard Webhooks headers plus the JSON content type."""
    return {
        "content-type": "application/json",
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, event_id, timestamp, body),
    }


def new_event_id() -> str:
    """A webhook message id (`msg_...`; no dots, as the spec asks)."""
    return f"msg_{uuid.uuid4().hex}"


def envelope(event_name: str, event_time: int, /, **fields: Any) -> dict[str, Any]:
    """The event body every Loops webhook shares, with the per-event fields after it (any name, these included)."""
    return {"eventName": event_name, "webhookSchemaVersion": SCHEMA_VERSION, "eventTime": event_time, **fields}


@attrs.define
class WebhookConfig:
    """Where events go and how hard the sandbox tries: `attempts` in all, `backoff` seconds times the attempt."""

    url: str
    secret: str
    attempts: int = 3
    backoff: float = 0.5
    timeout: float = 5.0

    def public(self) -> dict[str, Any]:
        """The configuration as the control endpoint answers it (the secret included: it is the test's own)."""
        return {
            "url": self.url, "secret": self.secret, "attempts": self.attempts, "backoffSeconds": self.backoff,
            "timeoutSeconds": self.timeout,
        }  # fmt: skip


@attrs.frozen
class PendingDelivery:
    """One event waiting to be sent: the endpoint it was queued for, the attempt number it goes out as next, the
    first attempt number of this send (a replay numbers on from the last recorded one), and when it is due on the
    sandbox clock."""

    generation: int
    config: WebhookConfig
    event_id: str
    event_name: str
    body: str
    attempt: int
    first_attempt: int
    due: float

    def retry_delays(self) -> list[float]:
        """Seconds before the 2nd, 3rd, ... attempt: `backoff * 1`, `backoff * 2`, ... (`attempts - 1` of them)."""
        return [self.config.backoff * n for n in range(1, self.config.attempts)]


class Deliverer:
    """Loops' webhook deliveries: the registered endpoint, the events waiting to be sent, and `send_due()`, which
    the app's delivery worker runs so that an API response never waits on a receiver.

    Each event is tried up to `attempts` times on a non-2xx answer or a connection error, the next try falling due
    `backoff * attempt` seconds later on the sandbox clock; every attempt is recorded in `webhook_deliveries`.
    `reset()` drops the configuration and everything still queued. Every queued event's body is kept in
    `webhook_events`, so `replay()` can send it again (the dashboard's replay button).
    """

    def __init__(self, app: SandboxApp) -> None:
        self.app = app
        self.config: WebhookConfig | None = None
        self.pending: list[PendingDelivery] = []
        """The events waiting to be sent, in the order they go out."""
        self._generation = 0
        self._lock = threading.Lock()
        self._worker: delivery.DeliveryWorker | None = None
        self._client: httpx.Client | None = None

    def configure(self, config: WebhookConfig | None) -> None:
        """Register (or, with None, remove) the endpoint."""
        self.config = config

    def reset(self) -> None:
        """Forget the endpoint and drop queued and in-flight events."""
        with self._lock:
            self._generation += 1
            self.pending.clear()
            self.config = None

    def enqueue(self, payload: Mapping[str, Any]) -> str | None:
        """Queue one event for the registered endpoint; its id, or None when no endpoint is registered."""
        config = self.config
        if config is None:
            return None
        event_id = new_event_id()
        body = json.dumps(payload, separators=(",", ":"))
        event_name = str(payload["eventName"])
        self.app.store.execute(
            "INSERT INTO webhook_events (event_id, event_name, body) VALUES (?, ?, ?)", (event_id, event_name, body)
        )
        self._put(config, event_id, event_name, body, 1)
        return event_id

    def replay(self, event_id: str) -> bool:
        """Deliver a past event again to the registered endpoint: the same `webhook-id` and body, a fresh timestamp
        and signature, attempts numbered on from the last one recorded. False when there is no such event or no
        endpoint (Standard Webhooks receivers drop a redelivered id, so a replay is safe to click)."""
        config = self.config
        row = self.app.store.one(
            "SELECT e.event_name, e.body, COALESCE(MAX(d.attempt), 0) AS last FROM webhook_events e "
            "LEFT JOIN webhook_deliveries d ON d.event_id = e.event_id WHERE e.event_id = ? GROUP BY e.event_id",
            (event_id,),
        )
        if config is None or row is None:
            return False
        self._put(config, event_id, row["event_name"], row["body"], row["last"] + 1)
        return True

    def _put(self, config: WebhookConfig, event_id: str, event_name: str, body: str, first_attempt: int) -> None:
        with self._lock:
            self.pending.append(
                PendingDelivery(
                    self._generation, config, event_id, event_name, body, first_attempt, first_attempt, self.app.now()
                )
            )
            if self._worker is None or not self._worker.running:
                self._client = httpx.Client(follow_redirects=False, trust_env=False)
                self._worker = self.app.start_worker("webhooks", self.send_due)
            worker = self._worker
        worker.wake()

    def stop(self) -> None:
        """Drop what is queued and close the HTTP client (`SandboxApp.close()` calls it, after stopping the
        worker)."""
        with self._lock:
            self._generation += 1
            self.pending.clear()
            client, self._client, self._worker = self._client, None, None
        if client is not None:
            client.close()

    def send_due(self) -> float | None:
        """Send the events due now on the sandbox clock, in queue order (a retry waiting for its time holds the
        events behind it); the seconds until the first one waiting is due, None when none is."""
        while True:
            with self._lock:
                if not self.pending:
                    return None
                head, client = self.pending[0], self._client
                wait = head.due - self.app.now()
            if wait > 0:
                return wait
            if client is None:
                return None
            self._attempt(client, head)

    def _attempt(self, client: httpx.Client, job: PendingDelivery) -> None:
        """Send `job` once, record the attempt, and take it off the queue or put its retry on the sandbox clock."""
        config = job.config
        refused = delivery.refusal(config.url, self.app.allow_remote)
        if refused is not None:
            self._record(job, None, refused, int(self.app.now()))
            self._settle(job, None)
            return
        timestamp = int(self.app.now())
        headers = signed_headers(config.secret, job.event_id, timestamp, job.body)
        status: int | None = None
        error: str | None = None
        try:
            response = client.post(config.url, content=job.body.encode(), headers=headers, timeout=config.timeout)
            status = response.status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        self._record(job, status, error, timestamp)
        if status is not None and 200 <= status < 300:
            self._settle(job, None)
            return
        again = delivery.retry_at(self.app.now(), job.retry_delays(), job.attempt - job.first_attempt + 1)
        self._settle(job, None if again is None else attrs.evolve(job, attempt=job.attempt + 1, due=again))

    def _record(self, job: PendingDelivery, status: int | None, error: str | None, timestamp: int) -> None:
        """One row of the delivery log, unless the sandbox was reset or closed while the attempt was out."""
        with self._lock:
            if job.generation != self._generation:
                return
            self.app.store.execute(
                "INSERT INTO webhook_deliveries (event_id, event_name, url, attempt, status, error, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (job.event_id, job.event_name, job.config.url, job.attempt, status, error, timestamp),
            )

    def _settle(self, job: PendingDelivery, retry: PendingDelivery | None) -> None:
        """Replace `job` at the head of the queue by its retry, or drop it (unless a reset already did)."""
        with self._lock:
            if self.pending and self.pending[0] is job:
                if retry is None:
                    self.pending.pop(0)
                else:
                    self.pending[0] = retry


def list_deliveries(store: Store) -> list[dict[str, Any]]:
    """Every recorded attempt, oldest first, as `GET /sandbox/webhook/deliveries` answers them."""
    rows = store.all("SELECT * FROM webhook_deliveries ORDER BY seq")
    return [
        {"eventId": r["event_id"], "eventName": r["event_name"], "url": r["url"], "attempt": r["attempt"],
         "status": r["status"], "error": r["error"], "timestamp": r["at"]}
        for r in rows
    ]  # fmt: skip
