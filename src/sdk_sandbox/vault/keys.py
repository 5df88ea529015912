"""The Vault sandbox's signing keys: RS256, ES256 and EdDSA, rotated and retired on request, published as a JWKS."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import attrs
import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

ALGORITHMS = ("RS256", "ES256", "EdDSA")
JWK_MEMBERS = ("kty", "kid", "use", "alg", "n", "e", "crv", "x", "y")
"""The members the upstream Vault SDK reads into its `JWKSKey`; it fails on any other (PyJWT adds `key_ops`)."""
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


@attrs.define
class SigningKey:
    """One key pair; `active` keys are published in the JWKS and can verify."""

    kid: str
    alg: str
    private: PrivateKey
    active: bool = True

    def public_jwk(self) -> dict[str, Any]:
        """The public half as a JWK with `kid`, `alg` and `use`, and only the members upstream documents."""
        private = self.private
        if isinstance(private, rsa.RSAPrivateKey):
            jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
        elif isinstance(private, ec.EllipticCurvePrivateKey):
            jwk = ECAlgorithm.to_jwk(private.public_key(), as_dict=True)
        else:
            jwk = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
        full = {**jwk, "kid": self.kid, "alg": self.alg, "use": "sig"}
        return {member: full[member] for member in JWK_MEMBERS if member in full}


def new_key(alg: str) -> SigningKey:
    """A fresh key for `alg`, its kid derived from the public key (like the Vault server does)."""
    private: PrivateKey
    if alg == "RS256":
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif alg == "ES256":
        private = ec.generate_private_key(ec.SECP256R1())
    elif alg == "EdDSA":
        private = ed25519.Ed25519PrivateKey.generate()
    else:
        raise ValueError(f"unsupported algorithm {alg!r}")
    key = SigningKey(kid="", alg=alg, private=private)
    digest = hashlib.sha256(json.dumps(key.public_jwk(), sort_keys=True).encode()).hexdigest()
    key.kid = f"{alg.lower()}-{digest[:16]}"
    return key


class KeyRing:
    """Every key the sandbox has made; the newest active key of an algorithm signs for it."""

    def __init__(self) -> None:
        self.initial: list[SigningKey] = [new_key(alg) for alg in ALGORITHMS]
        self.keys: list[SigningKey] = []
        self.restore()

    def restore(self) -> None:
        """Back to the first three keys, all active (used by reset)."""
        for key in self.initial:
            key.active = True
        self.keys = list(self.initial)

    def signer(self, alg: str | None = None, kid: str | None = None) -> SigningKey | None:
        """The key to sign with: the given active kid, else the newest active key of `alg` (RS256 by default)."""
        if kid is not None:
            return next((k for k in self.keys if k.kid == kid and k.active), None)
        wanted = alg or "RS256"
        return next((k for k in reversed(self.keys) if k.alg == wanted and k.active), None)

    def rotate(self, alg: str) -> SigningKey:
        """Add a new active key for `alg`."""
        key = new_key(alg)
        self.keys.append(key)
        return key

    def retire(self, kid: str) -> SigningKey | None:
        """Take a key out of the JWKS."""
        key = next((k for k in self.keys if k.kid == kid), None)
        if key is not None:
            key.active = False
        return key

    def jwks(self) -> dict[str, Any]:
        """The published key set."""
        return {"keys": [key.public_jwk() for key in self.keys if key.active]}

    def verification_key(self, kid: str) -> SigningKey | None:
        """The active key with this kid."""
        return next((k for k in self.keys if k.kid == kid and k.active), None)

    def sign(self, key: SigningKey, claims: dict[str, Any]) -> str:
        """A compact JWS of `claims` signed by `key`."""
        return jwt.encode(claims, key.private, algorithm=key.alg, headers={"kid": key.kid, "typ": "JWT"})
