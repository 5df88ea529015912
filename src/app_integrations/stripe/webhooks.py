"""Stripe webhook signatures: verify and sign, exactly as Stripe signs, with no dependency.

`Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]`; each `v1` is the hex HMAC-SHA256 of `f"{t}.{raw body}"`
keyed with the endpoint secret string as it is (`whsec_...`, not decoded). Verification takes the raw bytes,
any number of `v1` entries and of secrets (rotation), compares in constant time, and refuses a timestamp more than
`tolerance` seconds away from now in either direction (stripe-python only refuses old ones).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterable, Sequence
from typing import Any

from ..webhooks import MAX_BODY_BYTES as MAX_BODY_BYTES
from ..webhooks import WebhookRequest, WebhookVerificationError

DEFAULT_TOLERANCE = 300
SIGNATURE_HEADER = "Stripe-Signature"
MAX_HEADER_CHARS = 4096
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def compute_signature(payload: bytes, secret: str, timestamp: int) -> str:
    """The hex `v1` signature of `payload` at `timestamp`."""
    signed = f"{timestamp}.".encode() + payload
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signature_header(payload: bytes, secrets: str | Iterable[str], timestamp: int | None = None) -> str:
    """A `Stripe-Signature` value for `payload`: one `v1` per secret (as Stripe sends during a secret roll)."""
    stamp = int(time.time()) if timestamp is None else int(timestamp)
    keys = [secrets] if isinstance(secrets, str) else list(secrets)
    return ",".join([f"t={stamp}", *(f"v1={compute_signature(payload, key, stamp)}" for key in keys)])


def _parse(header: str) -> tuple[int, list[str]]:
    if not header or len(header) > MAX_HEADER_CHARS:
        raise WebhookVerificationError("missing or oversized Stripe-Signature header")
    stamp: str | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.partition("=")
        if not sep:
            continue
        if key == "t" and stamp is None:
            stamp = value
        elif key == "v1":
            signatures.append(value)
    if stamp is None or not _TIMESTAMP.match(stamp):
        raise WebhookVerificationError("no valid timestamp in Stripe-Signature")
    if not signatures:
        raise WebhookVerificationError("no v1 signature in Stripe-Signature")
    return int(stamp), signatures


def verify(
    payload: bytes | str,
    header: str | None,
    secrets: str | Iterable[str],
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> dict[str, Any]:
    """Check one delivery and return its event; raise `WebhookVerificationError` (with a `reason`) otherwise.

    Args:
        payload: The raw request body, exactly as received (a `str` is taken as its UTF-8 bytes).
        header: The `Stripe-Signature` header value.
        secrets: One endpoint secret, or several during a roll; any of them may match.
        tolerance: Seconds the timestamp may be off, either way (must be positive).
        now: The current time (tests).
    """
    body = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    if len(body) > MAX_BODY_BYTES:
        raise WebhookVerificationError("body too large")
    if tolerance <= 0:
        raise WebhookVerificationError("tolerance must be positive")
    keys = [secrets] if isinstance(secrets, str) else [s for s in secrets if s]
    if not keys or not all(keys):
        raise WebhookVerificationError("no webhook secret configured")
    timestamp, given = _parse(header or "")
    expected = [compute_signature(body, key, timestamp).encode("ascii") for key in keys]
    matched = False
    for value in given:
        if not _HEX_SHA256.match(value):
            continue  # non-hex (non-ASCII included) can never match; compare_digest would raise on it
        candidate = value.encode("ascii")
        for digest in expected:
            matched |= hmac.compare_digest(candidate, digest)
    if not matched:
        raise WebhookVerificationError("no matching signature")
    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise WebhookVerificationError("timestamp too old")
    if timestamp > current + tolerance:
        raise WebhookVerificationError("timestamp too new")
    return _event(body)


def _event(body: bytes) -> dict[str, Any]:
    try:
        event = json.loads(body)
    except (ValueError, RecursionError):
        raise WebhookVerificationError("body is not JSON") from None
    if not isinstance(event, dict):
        raise WebhookVerificationError("body is not a JSON object")
    if not isinstance(event.get("id"), str) or not event["id"] or not isinstance(event.get("type"), str):
        raise WebhookVerificationError("body is not a Stripe event")
    if event.get("object") == "v2.core.event" or not isinstance(event.get("data"), dict):
        raise WebhookVerificationError("body is not a v1 Stripe event")
    return event


def verify_request(request: WebhookRequest, secrets: Sequence[str]) -> dict[str, Any]:
    """`verify` in the shape every provider's verifier has (see `app_integrations.webhooks`)."""
    return verify(request.body, request.header(SIGNATURE_HEADER), secrets)
