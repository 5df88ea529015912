"""Local verification of Vault access tokens (pure, no I/O).

The clients drive this: fetch the JWKS when `KeyCache` says so, call `check()`, and on `UnknownKeyId` force one
refresh (when the cooldown allows) and check again; then ask Vault (`/api/v1/auth/verify`) and remember the
answer in `VerifiedTokens`.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import jwt

from .errors import AuthenticationError, InvalidTokenError, KeysUnavailableError, TokenExpiredError
from .jwks import ALLOWED_ALGORITHMS, KID_PATTERN
from .key_cache import KeyCache
from .token_claims import check_shape, payload_from_claims
from .token_options import VerifyOptions
from .types import TokenPayload


class UnknownKeyId(InvalidTokenError):
    """The token's kid is not in the key set (a refresh may find it)."""


_HEADERS: dict[str, tuple[str, str]] = {}
_MAX_HEADERS = 64


def read_header(token: str) -> tuple[str, str]:
    """`(alg, kid)` from the token's header, checked before any key lookup; `InvalidTokenError` otherwise.

    Tokens signed by one key share one header segment, so validated headers are remembered (a few dozen at most):
    only headers that passed every check are cached, and the cache is dropped whole when full.
    """
    segment = check_shape(token).split(".", 1)[0]
    known = _HEADERS.get(segment)
    if known is not None:
        return known
    try:
        header = _decode_segment(segment)
    except (ValueError, binascii.Error, RecursionError):
        raise InvalidTokenError("token header is not base64url-encoded JSON") from None
    if not isinstance(header, dict):
        raise InvalidTokenError("token header is not a JSON object")
    alg, kid = header.get("alg"), header.get("kid")
    if alg not in ALLOWED_ALGORITHMS:
        raise InvalidTokenError("token algorithm is not allowed")
    if not isinstance(kid, str) or not KID_PATTERN.match(kid):
        raise InvalidTokenError("token has no usable key ID (kid)")
    if len(_HEADERS) >= _MAX_HEADERS:
        _HEADERS.clear()
    _HEADERS[segment] = (str(alg), kid)
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
        # PyJWT reads `exp: true` as 1, i.e. long expired; a non-integer exp is malformed, not expired.
        if not _integer_exp(token):
            raise InvalidTokenError("token claim exp must be an integer") from None
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
    payload = payload_from_claims(claims)
    if options.authorized_parties is not None and claims.get("azp") not in options.authorized_parties:
        raise InvalidTokenError("token was issued to an unauthorized party (azp)")
    if options.max_token_lifetime is not None and payload.exp - payload.iat > options.max_token_lifetime:
        raise InvalidTokenError("token lifetime exceeds the allowed maximum")
    return payload


def _decode_segment(segment: str) -> Any:
    """The JSON value of one base64url segment of a JWS (padding restored)."""
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _integer_exp(token: str) -> bool:
    try:
        exp = _decode_segment(token.split(".")[1]).get("exp")
    except (ValueError, binascii.Error, AttributeError, RecursionError):
        return False
    return isinstance(exp, int) and not isinstance(exp, bool)


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
