"""Loops webhooks: Standard Webhooks signing, and delivery from a background thread with bounded retries.

The wire format is Standard Webhooks: headers `webhook-id` (the same on
every retry of one event), `webhook-timestamp` (integer seconds on the sandbox clock) and `webhook-signature`
(`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the base64-decoded part of `whsec_<base64>`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import queue
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import httpx

from .. import delivery
from ..state import Store

logger: logging.Logger = logging.getLogger("sdk_sandbox.loops")

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
class _Job:
    generation: int
    config: WebhookConfig
    event_id: str
    event_name: str
    body: str
    first_attempt: int = 1


class Deliverer:
    """Delivers events in order from one daemon thread, so an API response never waits on a receiver.

    Each event is tried up to `attempts` times on a non-2xx answer or a connection error, sleeping
    `backoff * attempt` seconds between tries; every attempt is recorded in `webhook_deliveries`. `reset()` drops
    the configuration and everything still queued. Every queued event's body is kept in `webhook_events`, so
    `replay()` can send it again (the dashboard's replay button).
    """

    def __init__(
        self, store: Store, clock: Callable[[], float], allow_remote: Callable[[], bool] = lambda: False
    ) -> None:
        self.store = store
        self.clock = clock
        self.allow_remote = allow_remote
        self.config: WebhookConfig | None = None
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._generation = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def configure(self, config: WebhookConfig | None) -> None:
        """Register (or, with None, remove) the endpoint."""
        self.config = config

    def reset(self) -> None:
        """Forget the endpoint and drop queued and in-flight events."""
        with self._lock:
            self._generation += 1
            self.config = None

    def enqueue(self, payload: Mapping[str, Any]) -> str | None:
        """Queue one event for the registered endpoint; its id, or None when no endpoint is registered."""
        config = self.config
        if config is None:
            return None
        event_id = new_event_id()
        body = json.dumps(payload, separators=(",", ":"))
        event_name = str(payload["eventName"])
        self.store.execute(
            "INSERT INTO webhook_events (event_id, event_name, body) VALUES (?, ?, ?)", (event_id, event_name, body)
        )
        self._put(config, event_id, event_name, body, 1)
        return event_id

    def replay(self, event_id: str) -> bool:
        """Deliver a past event again to the registered endpoint: the same `webhook-id` and body, a fresh timestamp
        and signature, attempts numbered on from the last one recorded. False when there is no such event or no
        endpoint (Standard Webhooks receivers drop a redelivered id, so a replay is safe to click)."""
        config = self.config
        row = self.store.one(
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
            self._queue.put(_Job(self._generation, config, event_id, event_name, body, first_attempt))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="sdk-sandbox-loops-webhooks", daemon=True)
                self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Drop what is queued and stop the delivery thread (`SandboxApp.close()` calls it)."""
        with self._lock:
            self._generation += 1
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout)

    def _current(self, job: _Job) -> bool:
        with self._lock:
            return job.generation == self._generation

    def _run(self) -> None:
        with httpx.Client() as client:
            while True:
                job = self._queue.get()
                if job is None:
                    self._queue.task_done()
                    return
                try:
                    self._deliver(client, job)
                except Exception:
                    logger.exception("webhook delivery failed unexpectedly")
                finally:
                    self._queue.task_done()

    def _deliver(self, client: httpx.Client, job: _Job) -> None:
        config = job.config
        refused = delivery.refusal(config.url, self.allow_remote())
        if refused is not None:
            self.store.execute(
                "INSERT INTO webhook_deliveries (event_id, event_name, url, attempt, status, error, at) "
                "VALUES (?, ?, ?, ?, NULL, ?, ?)",
                (job.event_id, job.event_name, config.url, job.first_attempt, refused, int(self.clock())),
            )
            return
        last = job.first_attempt + config.attempts - 1
        for attempt in range(job.first_attempt, last + 1):
            if not self._current(job):
                return
            timestamp = int(self.clock())
            headers = signed_headers(config.secret, job.event_id, timestamp, job.body)
            status: int | None = None
            error: str | None = None
            try:
                response = client.post(config.url, content=job.body.encode(), headers=headers, timeout=config.timeout)
                status = response.status_code
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
            if self._current(job):
                self.store.execute(
                    "INSERT INTO webhook_deliveries (event_id, event_name, url, attempt, status, error, at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (job.event_id, job.event_name, config.url, attempt, status, error, timestamp),
                )
            if status is not None and 200 <= status < 300:
                return
            if attempt < last:
                time.sleep(config.backoff * (attempt - job.first_attempt + 1))


def list_deliveries(store: Store) -> list[dict[str, Any]]:
    """Every recorded attempt, oldest first, as `GET /sandbox/webhook/deliveries` answers them."""
    rows = store.all("SELECT * FROM webhook_deliveries ORDER BY seq")
    return [
        {"eventId": r["event_id"], "eventName": r["event_name"], "url": r["url"], "attempt": r["attempt"],
         "status": r["status"], "error": r["error"], "timestamp": r["at"]}
        for r in rows
    ]  # fmt: skip
