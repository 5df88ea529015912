"""Vortex API keys (`VRTX.<encodedId>.<key>`) and the verification of the HS256 JWTs minted from them.

Written from the upstream SDK's wire format, independently of the SDK's minting code, so that
a token which verifies here proves the SDK interoperable rather than merely self-consistent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from typing import Any

import attrs

PREFIX = "VRTX"


class InvalidApiKey(ValueError):
    """The string is not a Vortex API key."""


class InvalidJwt(ValueError):
    """The token does not verify; the message says why."""


@attrs.frozen
class ApiKey:
    """A parsed key: its id (the JWT `kid`, a UUID string) and its secret part."""

    raw: str
    kid: str
    secret: str

    def signing_key(self) -> bytes:
        """HMAC-SHA256(secret part, kid): the 32-byte key that signs this key's JWTs."""
        return hmac.new(self.secret.encode(), self.kid.encode(), hashlib.sha256).digest()


def parse_api_key(raw: str) -> ApiKey:
    """Split and check `VRTX.<base64url UUID bytes>.<key>`; raise `InvalidApiKey` otherwise."""
    parts = raw.split(".")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[2]:
        raise InvalidApiKey("not a VRTX.<encodedId>.<key> API key")
    try:
        kid = str(uuid.UUID(bytes=base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))))
    except (ValueError, TypeError):
        raise InvalidApiKey("the encoded id is not a UUID") from None
    return ApiKey(raw=raw, kid=kid, secret=parts[2])


def new_api_key() -> str:
    """A fresh, ready-to-use key."""
    encoded = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    return f"{PREFIX}.{encoded}.{secrets.token_urlsafe(24)}"


def verify_jwt(token: str, keys: list[ApiKey], now: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """`(header, payload)` of a valid token; raise `InvalidJwt` with the reason otherwise."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidJwt("a JWT has three dot-separated parts")
    try:
        header = json.loads(_b64decode(parts[0]))
        payload = json.loads(_b64decode(parts[1]))
        signature = _b64decode(parts[2])
    except (ValueError, UnicodeDecodeError):
        raise InvalidJwt("a part is not base64url-encoded JSON") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise InvalidJwt("header and payload must be JSON objects")
    if header.get("alg") != "HS256":
        raise InvalidJwt("alg must be HS256")
    key = next((k for k in keys if k.kid == header.get("kid")), None)
    if key is None:
        raise InvalidJwt("kid does not name a known API key")
    expected = hmac.new(key.signing_key(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise InvalidJwt("signature does not match")
    expires = payload.get("expires")
    if not isinstance(expires, int) or isinstance(expires, bool):
        raise InvalidJwt("payload.expires must be an integer")
    if expires <= now:
        raise InvalidJwt("token has expired")
    for claim in ("userId", "userEmail"):
        if not isinstance(payload.get(claim), str):
            raise InvalidJwt(f"payload.{claim} must be a string")
    return header, payload


def _b64decode(part: str) -> bytes:
    if "=" in part:
        raise ValueError("padding is not allowed")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
