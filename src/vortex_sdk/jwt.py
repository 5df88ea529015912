"""Minting the Vortex widget JWT exactly as the upstream SDK does (reference/upstream-apis.md §1.2).

Also the two newer forms of 0.19.0: `generate_token` (a standard HS256 JWT of any payload, with `iat`/`exp`) and
`sign` (a `kid:hex` HMAC of a user's canonical JSON, for the component's `signature` prop). Every one of them
reads the clock (`time.time()`) when it is called, so `mock.patch("time.time")` and freezegun govern it.

The API key `VRTX.<encodedId>.<key>` names a key id (the UUID whose 16 bytes `encodedId` holds, base64url) and a
secret. Tokens are HS256 with the key HMAC-SHA256(secret, kid); the header carries `iat` and `kid`; the payload has
`userId`, `userEmail` and `expires` (not `exp`), then the optional claims and extras in upstream's order. JSON is
compact and keeps insertion order, so the bytes match the upstream SDK's for the same inputs and clock.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .types import User

DEFAULT_EXPIRES_IN = 3600
"""One hour, the seed-era upstream's lifetime."""
TOKEN_EXPIRES_IN = 30 * 24 * 3600
"""Thirty days, `generate_token`'s default (as 0.19.0)."""
MAX_EXPIRES_IN = 366 * 24 * 3600
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^([1-9][0-9]{0,8})([smhd])$")
_COMPACT = (",", ":")
logger: logging.Logger = logging.getLogger("vortex_sdk")


@attrs.frozen(repr=False)
class SigningKey:
    """The key id and derived signing key of one API key. Its repr never shows the key."""

    kid: str
    key: bytes

    def __repr__(self) -> str:
        return f"SigningKey(kid={self.kid!r})"


def parse_api_key(api_key: str) -> SigningKey:
    """Check `VRTX.<encodedId>.<key>` and derive the signing key; raise `ValueError` with upstream's messages."""
    parts = api_key.split(".")
    if len(parts) != 3:
        raise ValueError("Invalid API key format. Expected: VRTX.{encodedId}.{key}")
    prefix, encoded_id, secret = parts
    if prefix != "VRTX":
        raise ValueError("Invalid API key prefix. Expected: VRTX")
    try:
        kid = str(uuid.UUID(bytes=base64.urlsafe_b64decode(encoded_id + "=" * (-len(encoded_id) % 4))))
    except (ValueError, binascii.Error) as exc:
        # Upstream's message; the encoded id is not secret, but the error text never repeats the key either way.
        raise ValueError(f"Invalid UUID in API key: {exc}") from None
    if not secret:
        raise ValueError("Invalid API key format. Expected: VRTX.{encodedId}.{key}")
    return SigningKey(kid, hmac.new(secret.encode(), kid.encode(), hashlib.sha256).digest())


def parse_expires_in(expires_in: int | str | None, default: int = DEFAULT_EXPIRES_IN) -> int:
    """Seconds from an `expires_in` of whole seconds or `"30s"`, `"5m"`, `"1h"`, `"7d"`; `None` is `default`."""
    if expires_in is None:
        return default
    if isinstance(expires_in, str):
        match = _DURATION.match(expires_in.strip())
        if match is None:
            raise ValueError(f"expires_in must be seconds or a duration like '5m', '1h', '7d', got {expires_in!r}")
        seconds = int(match.group(1)) * _UNITS[match.group(2)]
    elif isinstance(expires_in, int) and not isinstance(expires_in, bool):
        seconds = expires_in
    else:
        raise ValueError(f"expires_in must be an int or a duration string, got {type(expires_in).__name__}")
    if not 0 < seconds <= MAX_EXPIRES_IN:
        raise ValueError(f"expires_in must be between 1 second and 366 days, got {seconds} s")
    return seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def build_payload(user: User, expires: int, extra: Mapping[str, Any]) -> dict[str, Any]:
    """The claims in upstream's order: identity and expiry, optional user claims, the user's extras, `extra`."""
    payload: dict[str, Any] = {"userId": user.id, "userEmail": user.email, "expires": expires}
    if user.user_name:
        payload["userName"] = user.user_name
    if user.user_avatar_url:
        payload["userAvatarUrl"] = user.user_avatar_url
    if user.admin_scopes:
        payload["adminScopes"] = user.admin_scopes
    payload.update(user.model_extra)
    payload.update(extra)
    return payload


def _now(clock: Callable[[], float] | None) -> int:
    # `time.time` is looked up at each call, never bound at import, so patching it (or freezegun) takes effect.
    return int(clock() if clock is not None else time.time())


def _signed(key: SigningKey, header: Mapping[str, Any], payload: Mapping[str, Any]) -> str:
    try:
        payload_json = json.dumps(payload, separators=_COMPACT)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"JWT claims must be JSON-serializable: {exc}") from None
    signing_input = f"{_b64(json.dumps(header, separators=_COMPACT).encode())}.{_b64(payload_json.encode())}"
    signature = hmac.new(key.key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def mint(
    key: SigningKey,
    user: User | Mapping[str, Any],
    extra: Mapping[str, Any],
    expires_in: int | str | None = None,
    clock: Callable[[], float] | None = None,
) -> str:
    """The signed token for `user`, valid for `expires_in` (one hour by default); `clock` defaults to `time.time`."""
    user = User.coerce(user)
    ttl = parse_expires_in(expires_in)
    iat = _now(clock)
    header = {"iat": iat, "alg": "HS256", "typ": "JWT", "kid": key.kid}
    return _signed(key, header, build_payload(user, iat + ttl, extra))


def _plain(value: Any) -> Any:
    """A pydantic-style model (upstream's, or ours) as its camelCase dict; anything else as it is."""
    dump = getattr(value, "model_dump", None)
    return dump(by_alias=True, exclude_none=True) if callable(dump) else value


def mint_token(
    key: SigningKey,
    payload: Mapping[str, Any],
    options: Mapping[str, Any] | None = None,
    clock: Callable[[], float] | None = None,
) -> str:
    """`generate_token`: header `alg`/`typ`/`kid`, the payload as given plus `iat` and `exp` (30 days by default,
    or `options["expires_in"]` / `["expiresIn"]`)."""
    claims = dict(_plain(payload))
    if "user" in claims:
        claims["user"] = _plain(claims["user"])
    user = claims.get("user")
    if not isinstance(user, Mapping) or not user.get("id"):
        logger.warning(
            "[Vortex SDK] Warning: signing payload without user.id means "
            "invitations won't be securely attributed to a user."
        )
    opts = dict(_plain(options)) if options is not None else {}
    raw = opts.get("expires_in", opts.get("expiresIn"))
    iat = _now(clock)
    header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    return _signed(key, header, {**claims, "iat": iat, "exp": iat + parse_expires_in(raw, TOKEN_EXPIRES_IN)})


def _canonical(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _canonical(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


def sign_user(key: SigningKey, user: User | Mapping[str, Any]) -> str:
    """`sign`: `"<kid>:<hex HMAC-SHA256>"` of the user's canonical JSON (keys sorted at every level, `id` as
    `userId`, `email` as `userEmail`), for the component's `signature` prop."""
    if isinstance(user, User):
        given: dict[str, Any] = {"id": user.id, "email": user.email}
        optional = {"name": user.user_name, "avatarUrl": user.user_avatar_url, "adminScopes": user.admin_scopes}
        given.update({k: v for k, v in optional.items() if v})
    elif isinstance(user, Mapping):
        given = dict(user)
    else:
        raise TypeError(f"user must be a vortex_sdk.User or a dict, not {type(user).__name__}")
    renamed = {"id": "userId", "email": "userEmail"}
    canonical = {renamed.get(str(k), str(k)): v for k, v in given.items()}
    if not canonical.get("userId"):
        raise ValueError("userId (or id) is required for signing")
    try:
        text = json.dumps(_canonical(canonical), separators=_COMPACT, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"user must be JSON-serializable: {exc}") from None
    return f"{key.kid}:{hmac.new(key.key, text.encode(), hashlib.sha256).hexdigest()}"
