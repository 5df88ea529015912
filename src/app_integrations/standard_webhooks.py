"""Standard Webhooks signatures (the scheme Loops signs with): verify and sign, with no dependency.

Signed bytes are `f"{webhook-id}.{webhook-timestamp}.{raw body}"`, HMAC-SHA256 keyed with the base64-decoded
secret (after its `whsec_` prefix, or any `<letters>_` prefix, since base64 has no `_`). `webhook-signature` holds
space-separated `v1,<base64>` entries (several during a secret rotation); several secrets may be given too.
The timestamp must be within `tolerance` seconds of now in both directions. Comparisons are constant-time.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .webhooks import MAX_BODY_BYTES as MAX_BODY_BYTES
from .webhooks import WebhookRequest
from .webhooks import WebhookVerificationError as WebhookVerificationError

DEFAULT_TOLERANCE = 300
_PREFIX = re.compile(r"^[a-z]+_")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_MSG_ID = re.compile(r"^[\x21-\x7e]{1,255}$")


def decode_secret(secret: str | bytes) -> bytes:
    """The HMAC key of a `whsec_<base64>` secret (raw bytes are used as they are)."""
    key = secret if isinstance(secret, bytes) else _decode_text_secret(secret)
    if not key:
        raise WebhookVerificationError("webhook secret is empty")
    return key


@functools.lru_cache(maxsize=32)
def _decode_text_secret(secret: str) -> bytes:
    # Cached: an app verifies every delivery with the same one or two secrets.
    try:
        return base64.b64decode(_PREFIX.sub("", secret.strip()), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError("webhook secret is not base64 after its prefix") from None


def _signature(key: bytes, signed: bytes) -> str:
    return base64.b64encode(hmac.digest(key, signed, hashlib.sha256)).decode("ascii")


def sign(secret: str | bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value `v1,<base64>` for one message."""
    return "v1," + _signature(decode_secret(secret), f"{msg_id}.{timestamp}.".encode() + body)


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise WebhookVerificationError(f"missing {name} header")


def verify(
    body: bytes,
    headers: Mapping[str, str],
    secrets: str | bytes | Iterable[str | bytes],
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> dict[str, Any]:
    """Check a delivery and return its JSON payload; raise `WebhookVerificationError` otherwise.

    Args:
        body: The raw request body, exactly as received.
        headers: The request headers (any case).
        secrets: One secret or several (rotation); any of them may match.
        tolerance: Seconds the timestamp may be off, either way.
        now: The current time (tests).
    """
    if len(body) > MAX_BODY_BYTES:
        raise WebhookVerificationError("body too large")
    msg_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp").strip()
    signatures = _header(headers, "webhook-signature")
    if not _MSG_ID.match(msg_id) or "." in msg_id:
        raise WebhookVerificationError("malformed webhook-id")
    if not _TIMESTAMP.match(stamp):
        raise WebhookVerificationError("malformed webhook-timestamp")
    timestamp = int(stamp)
    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise WebhookVerificationError("timestamp too old")
    if timestamp > current + tolerance:
        raise WebhookVerificationError("timestamp too new")
    keys = [decode_secret(s) for s in ([secrets] if isinstance(secrets, str | bytes) else secrets)]
    if not keys:
        raise WebhookVerificationError("no webhook secret configured")
    signed = f"{msg_id}.{timestamp}.".encode() + body
    # Canonical base64 of each expected MAC, compared as text in constant time (no decoding of what was sent).
    expected = [_signature(key, signed).encode("ascii") for key in keys]
    for entry in signatures.split(" "):
        version, _, value = entry.partition(",")
        if version != "v1" or not value or not value.isascii():
            continue  # other schemes (v1a), malformed and non-ASCII entries are skipped, not fatal
        given = value.encode("ascii")
        if any(hmac.compare_digest(given, digest) for digest in expected):
            return _payload(body)
    raise WebhookVerificationError("no matching signature")


def _payload(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        raise WebhookVerificationError("body is not JSON") from None
    if not isinstance(payload, dict):
        raise WebhookVerificationError("body is not a JSON object")
    return payload


def verify_request(request: WebhookRequest, secrets: Sequence[str]) -> dict[str, Any]:
    """`verify` in the shape every provider's verifier has (see `app_integrations.webhooks`)."""
    return verify(request.body, request.headers, secrets)
