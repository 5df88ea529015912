"""The keys of a JWKS that may verify access tokens: filtered, parsed, by kid (see key_cache.py for refresh)."""

from __future__ import annotations

import logging
import re
from typing import Any

import attrs
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from .types import JWKS

logger: logging.Logger = logging.getLogger("vault_auth")

ALLOWED_ALGORITHMS = ("RS256", "ES256", "EdDSA")
_KTY_FOR_ALG = {"RS256": "RSA", "ES256": "EC", "EdDSA": "OKP"}
_CURVE_FOR_ALG = {"ES256": "P-256", "EdDSA": "Ed25519"}
KID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
MIN_RSA_BITS = 2048
MAX_KEYS = 32


@attrs.frozen
class VerificationKey:
    """One usable public key: its kid, the one algorithm it may verify, and the parsed key object."""

    kid: str
    alg: str
    key: jwt.PyJWK


def usable_keys(jwks: JWKS) -> dict[str, VerificationKey]:
    """The keys of `jwks` fit to verify access tokens, by kid; everything else is dropped (and logged).

    Kept: `use` absent or `sig`; `alg` in RS256/ES256/EdDSA (or absent and implied by a matching kty/curve);
    RSA of at least 2048 bits; EC on P-256; OKP on Ed25519; a kid of at most 128 safe characters; the first of
    duplicate kids. Never HMAC (`oct`) keys, so no algorithm confusion is possible.
    """
    found: dict[str, VerificationKey] = {}
    for jwk in jwks.keys[:MAX_KEYS]:
        alg = jwk.alg or _implied_alg(jwk.kty, jwk.crv)
        reason = _rejection(jwk.kid, jwk.kty, jwk.crv, jwk.use, alg, found)
        if reason is None:
            try:
                key = jwt.PyJWK(jwk.to_dict(), algorithm=alg)
            except (jwt.PyJWTError, ValueError, TypeError):
                reason = "unparseable key material"
            else:
                if isinstance(key.key, rsa.RSAPublicKey) and key.key.key_size < MIN_RSA_BITS:
                    reason = f"RSA key under {MIN_RSA_BITS} bits"
                else:
                    found[jwk.kid] = VerificationKey(jwk.kid, str(alg), key)
                    continue
        logger.warning("ignoring JWKS key %r: %s", jwk.kid[:128], reason)
    return found


def _implied_alg(kty: str, crv: str | None) -> str | None:
    return {("RSA", None): "RS256", ("EC", "P-256"): "ES256", ("OKP", "Ed25519"): "EdDSA"}.get((kty, crv))


def _rejection(
    kid: str, kty: str, crv: str | None, use: str | None, alg: str | None, found: dict[str, Any]
) -> str | None:
    if not KID_PATTERN.match(kid):
        return "kid is not 1-128 characters of [A-Za-z0-9._:-]"
    if kid in found:
        return "duplicate kid"
    if use not in (None, "sig"):
        return f"use {use!r} is not 'sig'"
    if alg not in ALLOWED_ALGORITHMS:
        return f"algorithm {alg!r} is not allowed"
    if _KTY_FOR_ALG[alg] != kty or _CURVE_FOR_ALG.get(alg, crv) != crv:
        return f"key type {kty}/{crv} does not match {alg}"
    return None
