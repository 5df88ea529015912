"""Reading a token's claims without verifying it (`decode_token`), with the size and shape checks done first."""

from __future__ import annotations

from typing import Any

import jwt

from .errors import InvalidTokenError
from .token_options import MAX_TOKEN_BYTES
from .types import TokenPayload

KNOWN_CLAIMS = ("sub", "exp", "iat", "iss", "aud", "jti", "email", "email_verified", "org_id", "org_role", "sid")
_KNOWN = frozenset(KNOWN_CLAIMS)


def check_shape(token: object) -> str:
    """The token if it is a string of three segments within the size limit; `InvalidTokenError` otherwise."""
    if not isinstance(token, str) or not token:
        raise InvalidTokenError("token must be a non-empty string")
    if len(token) > MAX_TOKEN_BYTES:
        raise InvalidTokenError(f"token is larger than {MAX_TOKEN_BYTES} bytes")
    if token.count(".") != 2:
        raise InvalidTokenError("token is not a JWS (three dot-separated segments)")
    return token


def payload_from_claims(claims: dict[str, Any]) -> TokenPayload:
    """A `TokenPayload`; `InvalidTokenError` when `sub`, `exp` or `iat` is missing or of the wrong type."""
    get = claims.get
    sub, exp, iat = get("sub"), get("exp"), get("iat")
    if not isinstance(sub, str) or not sub:
        raise InvalidTokenError("token has no subject (sub)")
    if isinstance(exp, bool) or not isinstance(exp, int):
        raise InvalidTokenError("token claim exp must be an integer")
    if isinstance(iat, bool) or not isinstance(iat, int):
        raise InvalidTokenError("token claim iat must be an integer")
    # Positional, in TokenPayload's field order, with a set lookup for the extras: this runs on every fresh token.
    extra = {k: v for k, v in claims.items() if k not in _KNOWN}
    return TokenPayload(
        sub, exp, iat, get("iss"), get("aud"), get("jti"), get("email"), get("email_verified"), get("org_id"),
        get("org_role"), get("sid"), extra,
    )  # fmt: skip


def decode_unverified(token: str) -> TokenPayload:
    """The claims of `token`, signature NOT checked; `InvalidTokenError` for anything that is not a JWT."""
    try:
        claims = jwt.decode(check_shape(token), options={"verify_signature": False})
    except jwt.PyJWTError:
        raise InvalidTokenError("token could not be decoded") from None
    return payload_from_claims(claims)
