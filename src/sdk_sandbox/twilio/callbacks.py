"""Status callbacks: signed exactly as Twilio signs them, POSTed in order, each attempt recorded.

The signature is base64 HMAC-SHA1, keyed with the account's auth token, of the callback URL followed by each form
field name and value, names sorted. Twilio's connection overrides in the URL fragment are honoured: `#rc=` retry
count (default 1, at most 5), `ct=` connect and `rt=` read timeouts in milliseconds; the fragment is neither sent
nor signed. Each event carries a fresh `I-Twilio-Idempotency-Token`, repeated on its retries.

Delivery follows the rules every sandbox shares (`sdk_sandbox.delivery`). A callback answered with a 5xx, or not
answered at all, is tried again on the **sandbox** clock (`retry_delays` of `PUT /sandbox/delivery`, so that
`PUT /sandbox/clock` makes a waiting retry go at once), as many times as `#rc=` allows; the callbacks of one
message reach the receiver in the order of its states, a later one waiting behind a retry. Only loopback
receivers are called unless the sandbox was started with `--allow-remote` or remote delivery is switched on
(`PUT /sandbox/delivery`): a sandbox is a local tool, and a callback URL copied from an example
(`https://example.com/...`) must not reach the internet. Such a callback is recorded with state `skipped`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlencode

import attrs
import httpx

from .. import delivery
from ..server import SandboxApp
from ..state import Store
from .state import DEFAULT_RETRY_DELAYS, PendingCallback, state_of

logger: logging.Logger = logging.getLogger("sdk_sandbox.twilio")
USER_AGENT = "TwilioProxy/1.1"


def sign(url: str, params: dict[str, str], auth_token: str) -> str:
    """`X-Twilio-Signature` for a form POST of `params` to `url`."""
    text = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), text.encode(), hashlib.sha1).digest()).decode()


def overrides(fragment: str) -> tuple[int, float, float]:
    """`(retries, connect timeout, read timeout)` from a `#rc=..&ct=..&rt=..` fragment (Twilio's defaults)."""
    values = dict(parse_qsl(fragment))

    def number(name: str, default: float, low: float, high: float) -> float:
        try:
            return min(max(float(values[name]), low), high)
        except (KeyError, ValueError):
            return default

    return int(number("rc", 1, 0, 5)), number("ct", 5000, 100, 10000) / 1000, number("rt", 15000, 100, 15000) / 1000


def queue(app: SandboxApp, message_sid: str, url: str, params: dict[str, str]) -> None:
    """Record a callback and put it in the queue the delivery worker sends from (the caller wakes the worker)."""
    state = state_of(app)
    bare, _ = urldefrag(url)
    now = app.now()
    with state.lock:
        app.store.execute(
            "INSERT INTO twilio_callbacks (message_sid, url, status, params, signature, idempotency_token, state,"
            " created) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)",
            (message_sid, url, params["MessageStatus"], json.dumps(params), sign(bare, params, state.auth_token),
             "sandbox-" + os.urandom(12).hex(), now),
        )  # fmt: skip
        row = app.store.one("SELECT MAX(seq) AS seq FROM twilio_callbacks")
        assert row is not None
        state.pending.append(PendingCallback(int(row["seq"]), message_sid, now))


def listing(store: Store, message_sid: str | None) -> list[dict[str, Any]]:
    """Every callback (pending or sent), oldest first; only one message's when `message_sid` is given."""
    where, args = ("WHERE message_sid = ?", (message_sid,)) if message_sid else ("", ())
    rows = store.all(f"SELECT * FROM twilio_callbacks {where} ORDER BY seq", args)  # noqa: S608  (fixed SQL)
    for row in rows:
        row["params"] = json.loads(row["params"])
    return rows


def send_due(app: SandboxApp, client: httpx.Client) -> float | None:
    """Send the callbacks due now on the sandbox clock, oldest first, each message's in order; the seconds until
    the first one still waiting is due (None when none is)."""
    state = state_of(app)
    with state.lock:
        waiting = list(state.pending)
    held: set[str] = set()  # messages with an earlier callback still waiting: theirs wait behind it
    next_due: float | None = None
    for item in waiting:
        if item.message_sid in held:
            continue
        if item.due > app.now():
            held.add(item.message_sid)
            next_due = item.due if next_due is None else min(next_due, item.due)
            continue
        retry = _attempt(app, client, item)
        with state.lock:
            if item in state.pending:
                index = state.pending.index(item)
                if retry is None:
                    del state.pending[index]
                else:
                    state.pending[index] = retry
        if retry is not None:
            held.add(item.message_sid)
            next_due = retry.due if next_due is None else min(next_due, retry.due)
    return None if next_due is None else max(0.0, next_due - app.now())


def _attempt(app: SandboxApp, client: httpx.Client, item: PendingCallback) -> PendingCallback | None:
    """Send one callback once and record it; its retry when one is left and due later, else None."""
    state = state_of(app)
    row = app.store.one("SELECT * FROM twilio_callbacks WHERE seq = ?", (item.seq,))
    if row is None:  # the sandbox was reset
        return None
    url, fragment = urldefrag(row["url"])
    refused = delivery.refusal(url, state.remote_callbacks or app.allow_remote)
    if refused is not None:
        reason = f"{refused} (or turn remote_callbacks on with PUT /sandbox/delivery)"
        app.store.execute("UPDATE twilio_callbacks SET state = 'skipped', error = ? WHERE seq = ?", (reason, item.seq))
        return None
    retries, connect, read = overrides(fragment)
    headers = {
        "X-Twilio-Signature": row["signature"],
        "I-Twilio-Idempotency-Token": row["idempotency_token"],
        "User-Agent": USER_AGENT,
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
    }
    body = urlencode(json.loads(row["params"])).encode()
    status: int | None = None
    error: str | None = None
    try:
        response = client.post(url, content=body, headers=headers, timeout=httpx.Timeout(read, connect=connect))
    except httpx.HTTPError as exc:
        error = type(exc).__name__
    else:
        status = response.status_code
    attempts = int(row["attempts"]) + 1
    again = None
    if status is None or status >= 500:
        schedule = state.retry_delays or list(DEFAULT_RETRY_DELAYS)
        delays = [schedule[min(n, len(schedule) - 1)] for n in range(retries)]
        again = delivery.retry_at(app.now(), delays, attempts)
    if again is not None:
        app.store.execute(
            "UPDATE twilio_callbacks SET attempts = ?, response_status = ?, error = ? WHERE seq = ?",
            (attempts, status, error, item.seq),
        )
        return attrs.evolve(item, due=again)
    delivered = status is not None and status < 300
    app.store.execute(
        "UPDATE twilio_callbacks SET state = ?, attempts = ?, response_status = ?, error = ?, delivered = ?"
        " WHERE seq = ?",
        ("delivered" if delivered else "failed", attempts, status, error, app.now(), item.seq),
    )
    if not delivered:
        logger.info("status callback to %s ended %s", url, status or error)
    return None
