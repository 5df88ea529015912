"""The JWKS as the verifier uses it: filtered keys by kid, and when to fetch it again (pure, no I/O).

Refresh rules (reference/jwt-webhooks.md §5): the set is fresh for `ttl` seconds; an unknown kid forces at most one
refetch per `cooldown` window, so random kids cannot cause a fetch storm; when fetching fails the last good keys
keep working for `grace` seconds past their expiry; a key missing from a successful fetch stops verifying at once.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import attrs
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from .types import JWKS

logger = logging.getLogger("vault_auth")

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


@attrs.define
class KeyCache:
    """What the verifier knows about the JWKS, and the rules for refreshing it (all times from `time.monotonic`)."""

    ttl: float
    cooldown: float = 30.0
    grace: float = 3600.0
    keys: dict[str, VerificationKey] = attrs.field(factory=dict)
    fetched_at: float | None = None
    last_forced: float | None = None
    failed_at: float | None = None
    generation: int = 0

    def is_fresh(self, now: float) -> bool:
        """Keys were fetched less than `ttl` ago."""
        return self.fetched_at is not None and now - self.fetched_at < self.ttl

    def is_usable(self, now: float) -> bool:
        """Keys may still verify: fresh, or expired but within the grace period (used when refreshing fails)."""
        return self.fetched_at is not None and now - self.fetched_at < self.ttl + self.grace

    def may_force(self, now: float) -> bool:
        """An unknown kid may trigger a refetch: none was forced, nor a fetch done, within the cooldown."""
        recent = [t for t in (self.last_forced, self.fetched_at) if t is not None and now - t < self.cooldown]
        return not recent

    def begin_refresh(self, now: float, force: bool) -> bool:
        """Whether to fetch now (called under the refresh lock, so one caller fetches and the rest reuse it).

        A forced refresh (unknown kid) happens at most once per cooldown; a due refresh is skipped when another
        caller just refreshed, and backs off for a cooldown after a failed fetch.
        """
        if force:
            if not self.may_force(now):
                return False
            self.last_forced = now
            return True
        recently_failed = self.failed_at is not None and now - self.failed_at < self.cooldown
        return not self.is_fresh(now) and not recently_failed

    def fetch_failed(self, now: float) -> None:
        """Record a failed fetch (the last good keys stay in use while `is_usable`)."""
        self.failed_at = now
        logger.warning("JWKS fetch failed; %s", "using the last good keys" if self.is_usable(now) else "no usable keys")

    def store(self, jwks: JWKS, now: float) -> None:
        """Adopt a freshly fetched key set; a change of keys bumps `generation` (verified tokens are forgotten)."""
        keys = usable_keys(jwks)
        if keys.keys() != self.keys.keys():
            self.generation += 1
        self.keys = keys
        self.fetched_at = now
        self.failed_at = None
