"""Status callbacks: signed exactly as Twilio signs them, POSTed in order, each attempt recorded.

The signature is base64 HMAC-SHA1, keyed with the account's auth token, of the callback URL followed by each form
field name and value, names sorted. Twilio's connection overrides in the URL fragment are honoured: `#rc=` retry
count (default 1, at most 5), `ct=` connect and `rt=` read timeouts in milliseconds; the fragment is neither sent
nor signed. Each event carries a fresh `I-Twilio-Idempotency-Token`, repeated on its retries.

Only loopback receivers are called unless remote delivery is switched on (`PUT /sandbox/delivery`): a sandbox is a
local tool, and a callback URL copied from an example (`https://example.com/...`) must not reach the internet.
Such a callback is recorded with state `skipped`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import os
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlencode

import httpx

from .. import delivery
from ..state import Store

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


def queue(store: Store, message_sid: str, url: str, params: dict[str, str], auth_token: str, now: float) -> None:
    """Record a callback to deliver (the delivery loop sends it)."""
    bare, _ = urldefrag(url)
    store.execute(
        "INSERT INTO twilio_callbacks (message_sid, url, status, params, signature, idempotency_token, state,"
        " created) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)",
        (message_sid, url, params["MessageStatus"], json.dumps(params), sign(bare, params, auth_token),
         "sandbox-" + os.urandom(12).hex(), now),
    )  # fmt: skip


def listing(store: Store, message_sid: str | None) -> list[dict[str, Any]]:
    """Every callback (pending or sent), oldest first; only one message's when `message_sid` is given."""
    where, args = ("WHERE message_sid = ?", (message_sid,)) if message_sid else ("", ())
    rows = store.all(f"SELECT * FROM twilio_callbacks {where} ORDER BY seq", args)  # noqa: S608  (fixed SQL)
    for row in rows:
        row["params"] = json.loads(row["params"])
    return rows


async def deliver_pending(store: Store, client: httpx.AsyncClient, now: float, remote: bool = False) -> int:
    """POST every pending callback, oldest first (remote ones only when `remote`); return how many were due."""
    rows = store.all("SELECT * FROM twilio_callbacks WHERE state = 'pending' ORDER BY seq")
    for row in rows:
        refused = delivery.refusal(urldefrag(row["url"])[0], remote)
        if refused is None:
            await _deliver(store, client, row, now)
        else:
            reason = f"{refused} (or turn remote_callbacks on with PUT /sandbox/delivery)"
            store.execute(
                "UPDATE twilio_callbacks SET state = 'skipped', error = ? WHERE seq = ?", (reason, row["seq"])
            )
    return len(rows)


async def _deliver(store: Store, client: httpx.AsyncClient, row: dict[str, Any], now: float) -> None:
    url, fragment = urldefrag(row["url"])
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
    attempts = 0
    for attempts in range(1, retries + 2):  # noqa: B007  (the count is recorded)
        try:
            response = await client.post(
                url, content=body, headers=headers, timeout=httpx.Timeout(read, connect=connect)
            )
        except httpx.HTTPError as exc:
            status, error = None, type(exc).__name__
        else:
            status, error = response.status_code, None
            if status < 500:
                break
        await asyncio.sleep(0)
    store.execute(
        "UPDATE twilio_callbacks SET state = ?, attempts = ?, response_status = ?, error = ?, delivered = ?"
        " WHERE seq = ?",
        ("delivered" if status is not None and status < 300 else "failed", attempts, status, error, now, row["seq"]),
    )
    if status is None or status >= 300:
        logger.info("status callback to %s ended %s", url, status or error)
