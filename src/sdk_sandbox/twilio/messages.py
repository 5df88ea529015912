"""Messages as Twilio keeps them: SIDs, fields, RFC 2822 dates, and the delivery life cycle on the sandbox clock.

An outbound message is created `queued` and then moves, one step every `step_seconds` of sandbox time, through
`sending` and `sent` to its outcome: `delivered`, or `undelivered` with the carrier's error (a landline: 30006).
Control endpoints may advance a message at once or fail it (`failed` from `queued`/`sending`, `undelivered` from
`sent`). Each transition after the initial one queues a status callback when the message has a `StatusCallback`.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from ..state import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS twilio_messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, sid TEXT UNIQUE NOT NULL, account_sid TEXT NOT NULL,
    to_number TEXT NOT NULL, from_number TEXT NOT NULL, status TEXT NOT NULL, created REAL NOT NULL,
    next_at REAL, outcome TEXT NOT NULL, outcome_error INTEGER, callback_url TEXT, data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS twilio_callbacks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, message_sid TEXT NOT NULL, url TEXT NOT NULL, status TEXT NOT NULL,
    params TEXT NOT NULL, signature TEXT NOT NULL, idempotency_token TEXT NOT NULL, state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, response_status INTEGER, error TEXT, created REAL NOT NULL,
    delivered REAL
);
"""
TABLES = ("twilio_callbacks", "twilio_messages")
API_VERSION = "2010-04-01"
PATH = ("queued", "sending", "sent")
TERMINAL = frozenset({"delivered", "undelivered", "failed", "canceled"})
ERROR_MESSAGES = {
    30003: "Unreachable destination handset",
    30004: "Message blocked",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30007: "Message filtered",
    30008: "Unknown error",
}
GSM_EXTRA = set("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\[~]|€\n\r ")


def new_sid(prefix: str) -> str:
    """A Twilio SID: two letters and 32 hexadecimal digits."""
    return prefix + os.urandom(16).hex()


def rfc2822(seconds: float) -> str:
    """Twilio's date format: `Thu, 24 Aug 2023 05:01:45 +0000`."""
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(seconds))


def segments(body: str) -> int:
    """How many SMS segments `body` takes: 160/153 GSM-7 characters, 70/67 UCS-2 ones."""
    gsm = all((ch.isascii() and (ch.isprintable() or ch in "\n\r")) or ch in GSM_EXTRA for ch in body)
    single, multi = (160, 153) if gsm else (70, 67)
    return 1 if len(body) <= single else -(-len(body) // multi)


def message_resource(
    sid: str, account_sid: str, to: str, sender: str, body: str, media: int, now: float
) -> dict[str, Any]:
    """A new outbound message, as the API returns it."""
    return {
        "account_sid": account_sid, "api_version": API_VERSION, "body": body, "date_created": rfc2822(now),
        "date_sent": None, "date_updated": rfc2822(now), "direction": "outbound-api", "error_code": None,
        "error_message": None, "from": sender, "messaging_service_sid": None, "num_media": str(media),
        "num_segments": str(segments(body)), "price": None, "price_unit": "USD", "sid": sid, "status": "queued",
        "subresource_uris": {"media": f"/{API_VERSION}/Accounts/{account_sid}/Messages/{sid}/Media.json"},
        "to": to, "uri": f"/{API_VERSION}/Accounts/{account_sid}/Messages/{sid}.json",
    }  # fmt: skip


def insert(store: Store, message: dict[str, Any], outcome: str, outcome_error: int | None, callback: str | None,
           created: float, step: float) -> None:  # fmt: skip
    """Store a new message, its first step due `step` seconds after creation."""
    store.execute(
        "INSERT INTO twilio_messages (sid, account_sid, to_number, from_number, status, created, next_at, outcome,"
        " outcome_error, callback_url, data) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)",
        (message["sid"], message["account_sid"], message["to"], message["from"], created, created + step, outcome,
         outcome_error, callback, json.dumps(message)),
    )  # fmt: skip


def load(store: Store, sid: str) -> dict[str, Any] | None:
    """The stored row of a message (with `data` decoded), or None."""
    row = store.one("SELECT * FROM twilio_messages WHERE sid = ?", (sid,))
    if row is not None:
        row["data"] = json.loads(row["data"])
    return row


def next_status(row: dict[str, Any]) -> str | None:
    """The state after the row's current one on its way to its outcome (None when it has arrived)."""
    status = row["status"]
    if status in TERMINAL:
        return None
    if status in PATH and status != PATH[-1]:
        return PATH[PATH.index(status) + 1]
    return str(row["outcome"])


def transition(
    store: Store, row: dict[str, Any], status: str, now: float, step: float, error_code: int | None = None
) -> dict[str, Any]:
    """Move a message to `status`; return the updated resource. The next step falls due `step` seconds later."""
    data = dict(row["data"])
    data["status"] = status
    data["date_updated"] = rfc2822(now)
    if status == "sent":
        data["date_sent"] = rfc2822(now)
        data["price"] = f"-{0.0079 * int(data['num_segments'] or 1):.5f}"
    if status in ("failed", "undelivered"):
        code = error_code or row["outcome_error"] or 30008
        data["error_code"] = code
        data["error_message"] = ERROR_MESSAGES.get(code, "Unknown error")
    next_at = None if status in TERMINAL else now + step
    store.execute(
        "UPDATE twilio_messages SET status = ?, next_at = ?, data = ? WHERE sid = ?",
        (status, next_at, json.dumps(data), row["sid"]),
    )
    return data


def callback_params(data: dict[str, Any]) -> dict[str, str]:
    """The form fields of a status callback for the message `data` (`ErrorCode` only on failed/undelivered)."""
    params = {
        "AccountSid": data["account_sid"], "ApiVersion": API_VERSION, "From": data["from"],
        "MessageSid": data["sid"], "MessageStatus": data["status"], "SmsSid": data["sid"],
        "SmsStatus": data["status"], "To": data["to"],
    }  # fmt: skip
    if data["status"] in ("failed", "undelivered") and data.get("error_code") is not None:
        params["ErrorCode"] = str(data["error_code"])
    return params
