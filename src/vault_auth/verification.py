"""Local verification of Vault access tokens, and the cache of tokens Vault has confirmed (pure, no I/O).

The clients drive this: fetch the JWKS when `KeyCache` says so, call `check()`, and on `UnknownKeyId` force one
refresh (when the cooldown allows) and check again; then ask Vault (`/api/v1/auth/verify`) and `remember()`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import time
from collections import OrderedDict
from typing import Any

import attrs
import jwt

from .errors import AuthenticationError, ConfigurationError, InvalidTokenError, KeysUnavailableError, TokenExpiredError
from .jwks import ALLOWED_ALGORITHMS, KID_PATTERN, KeyCache
from .token_claims import check_shape, payload_from_claims
from .types import TokenPayload, User

MAX_LEEWAY = 300.0
MAX_CACHED_TOKENS = 4096


class UnknownKeyId(InvalidTokenError):
    """The token's kid is not in the key set (a refresh may find it)."""


@attrs.frozen
class VerifyOptions:
    """How tokens are checked.

    Attributes:
        issuer: Required exact `iss`, when set.
        audience: Required `aud` (one of a list counts), when set.
        leeway: Clock skew allowed on `exp`/`iat`, 0-300 s (default 60).
        token_cache_ttl: How long a token Vault confirmed is trusted without asking again (never past its `exp`).
    """

    issuer: str | None = None
    audience: str | None = None
    leeway: float = 60.0
    token_cache_ttl: float = 60.0

    def __attrs_post_init__(self) -> None:
        if (
            isinstance(self.leeway, bool)
            or not isinstance(self.leeway, int | float)
            or not 0 <= self.leeway <= MAX_LEEWAY
        ):
            raise ConfigurationError(f"leeway must be between 0 and {MAX_LEEWAY:.0f} seconds, got {self.leeway!r}")
        ttl = self.token_cache_ttl
        if isinstance(ttl, bool) or not isinstance(ttl, int | float) or not 0 <= ttl < math.inf:
            raise ConfigurationError(f"token_cache_ttl must be a finite number of seconds, got {ttl!r}")


def read_header(token: str) -> tuple[str, str]:
    """`(alg, kid)` from the token's header, checked before any key lookup; `InvalidTokenError` otherwise."""
    segment = check_shape(token).split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        raise InvalidTokenError("token header is not base64url-encoded JSON") from None
    if not isinstance(header, dict):
        raise InvalidTokenError("token header is not a JSON object")
    alg, kid = header.get("alg"), header.get("kid")
    if alg not in ALLOWED_ALGORITHMS:
        raise InvalidTokenError("token algorithm is not allowed")
    if not isinstance(kid, str) or not KID_PATTERN.match(kid):
        raise InvalidTokenError("token has no usable key ID (kid)")
    return str(alg), kid


def check(token: str, keys: KeyCache, options: VerifyOptions) -> TokenPayload:
    """The verified claims of `token` against the cached keys; raise `UnknownKeyId` or `InvalidTokenError`."""
    alg, kid = read_header(token)
    key = keys.keys.get(kid)
    if key is None:
        raise UnknownKeyId("token is signed by a key that is not in the JWKS")
    if key.alg != alg:
        raise InvalidTokenError("token algorithm does not match its key")
    required = ["exp", "iat", "sub", *(["iss"] if options.issuer else []), *(["aud"] if options.audience else [])]
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=[key.alg],
            issuer=options.issuer,
            audience=options.audience,
            leeway=options.leeway,
            options={"require": required, "verify_aud": options.audience is not None},
        )
    except jwt.ExpiredSignatureError:
        raise TokenExpiredError("token has expired") from None
    except jwt.InvalidSignatureError:
        raise InvalidTokenError("token signature is invalid") from None
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidTokenError(f"token is missing the {exc.claim} claim") from None
    except (jwt.InvalidIssuerError, jwt.InvalidAudienceError):
        raise InvalidTokenError("token was issued by or for someone else") from None
    except jwt.ImmatureSignatureError:
        raise InvalidTokenError("token is not valid yet") from None
    except jwt.PyJWTError:
        raise InvalidTokenError("token is malformed") from None
    return payload_from_claims(claims)


def require_usable(keys: KeyCache, now: float) -> None:
    """Raise `KeysUnavailableError` when no key set can be used (fetch failed and the grace period is over)."""
    if not keys.is_usable(now):
        raise KeysUnavailableError("Vault's signing keys (JWKS) cannot be fetched and no cached copy is usable")


TOKEN_ERROR_CODES = frozenset({"INVALID_TOKEN", "SESSION_REVOKED", "TOKEN_EXPIRED"})


def token_refused(error: AuthenticationError) -> AuthenticationError:
    """Vault's 401 for the token itself becomes `InvalidTokenError`/`TokenExpiredError`; others stay as they are."""
    if error.error_code == "TOKEN_EXPIRED":
        return TokenExpiredError(
            error.message, status_code=401, error_code=error.error_code, request_id=error.request_id
        )
    if error.error_code in TOKEN_ERROR_CODES:
        return InvalidTokenError(
            error.message, status_code=401, error_code=error.error_code, request_id=error.request_id
        )
    return error


class VerifiedTokens:
    """Tokens Vault confirmed, by SHA-256 of the token: bounded, each kept until `token_cache_ttl` or its `exp`."""

    def __init__(self, ttl: float) -> None:
        self._ttl = ttl
        self._entries: OrderedDict[bytes, tuple[float, int, User]] = OrderedDict()
        self._generation = 0

    def get(self, token: str, generation: int) -> User | None:
        """The confirmed user, if the entry is still good and the key set has not changed since."""
        if generation != self._generation:
            self._entries.clear()
            self._generation = generation
            return None
        entry = self._entries.get(hashlib.sha256(token.encode()).digest())
        if entry is None:
            return None
        until, exp, user = entry
        if time.time() >= min(until, exp):
            return None
        return user

    def put(self, token: str, payload: TokenPayload, user: User, generation: int) -> None:
        """Remember a confirmed token."""
        if self._ttl <= 0:
            return
        if generation != self._generation:
            self._entries.clear()
            self._generation = generation
        self._entries[hashlib.sha256(token.encode()).digest()] = (time.time() + self._ttl, payload.exp, user)
        while len(self._entries) > MAX_CACHED_TOKENS:
            self._entries.popitem(last=False)
