"""Access tokens the Vault sandbox mints (control endpoint) and verifies (`/api/v1/auth/verify`)."""

from __future__ import annotations

import uuid
from typing import Any

import jwt

from ..validation import Rejection
from .keys import KeyRing

ISSUER = "https://sandbox.vault.local"
AUDIENCE = "vault-sandbox"
MAX_TOKEN_BYTES = 8192


class TokenService:
    """Signs tokens with the key ring and checks them the way the real service does."""

    def __init__(self, keys: KeyRing, issuer: str = ISSUER, audience: str = AUDIENCE) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience

    def mint(
        self, *, subject: dict[str, Any], session_id: str, now: float, expires_in: int, alg: str | None,
        kid: str | None, org_id: str | None, org_role: str | None, extra: dict[str, Any] | None,
    ) -> tuple[str, str, str]:  # fmt: skip
        """`(token, kid, alg)` for a user; raise `Rejection(404)` when the requested key is not active."""
        key = self.keys.signer(alg, kid)
        if key is None:
            raise Rejection(404, "NOT_FOUND", "No active signing key matches")
        issued = int(now)
        claims: dict[str, Any] = {
            "sub": subject["id"],
            "email": subject["email"],
            "email_verified": bool(subject["email_verified"]),
            "sid": session_id,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": issued,
            "exp": issued + expires_in,
            "jti": uuid.uuid4().hex,
        }
        if org_id is not None:
            claims.update(org_id=org_id, org_role=org_role)
        claims.update(extra or {})
        return self.keys.sign(key, claims), key.kid, key.alg

    def verify(self, token: str, now: float) -> dict[str, Any]:
        """The claims of a valid token; raise `Rejection(401)` with a reason otherwise."""
        if len(token.encode()) > MAX_TOKEN_BYTES:
            raise Rejection(401, "INVALID_TOKEN", "Token is too large")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Rejection(401, "INVALID_TOKEN", "Token is malformed") from None
        kid = header.get("kid")
        key = self.keys.verification_key(kid) if isinstance(kid, str) else None
        if key is None:
            raise Rejection(401, "INVALID_TOKEN", "Token is signed by an unknown key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.private.public_key(),
                algorithms=[key.alg],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "iss", "aud"], "verify_iat": False, "verify_exp": False},
            )
        except jwt.PyJWTError:
            raise Rejection(401, "INVALID_TOKEN", "Token signature or claims are invalid") from None
        if not isinstance(claims.get("exp"), int) or claims["exp"] <= now:
            raise Rejection(401, "TOKEN_EXPIRED", "Token has expired")
        return claims
