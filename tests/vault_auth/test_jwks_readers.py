"""The sandbox's JWKS, read both ways: by a strict reader (as the upstream Vault SDK is) and by our tolerant one.

The upstream SDK reads each key into a fixed set of fields and fails on any other member, so the sandbox serves
exactly those. Our SDK must keep working when a real JWKS carries more (`key_ops`, `x5c`, private extensions).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from sdk_sandbox.runner import BackgroundServer, bind, url_of
from sdk_sandbox.vault import build_vault_app
from sdk_sandbox.vault.handle import VaultHandle
from vault_auth import AsyncVaultAuth, VaultAuth

from ..json_rewrite import rewrite_json

DOCUMENTED = {"kty", "kid", "use", "alg", "n", "e", "crv", "x", "y"}
JWKS_PATH = "/.well-known/jwks.json"


class StrictJWKSKey:
    """The upstream SDK's `JWKSKey(**key)`: the documented fields only; anything else is an error."""

    def __init__(self, kty: str, kid: str, **optional: str) -> None:
        unknown = set(optional) - DOCUMENTED
        if unknown:
            raise TypeError(f"JWKSKey() got an unexpected keyword argument {sorted(unknown)[0]!r}")
        self.kty, self.kid, self.optional = kty, kid, optional

    def as_jwk(self) -> dict[str, str]:
        return {"kty": self.kty, "kid": self.kid, **self.optional}


def strict_read(body: Any) -> list[StrictJWKSKey]:
    assert set(body) == {"keys"}
    return [StrictJWKSKey(**key) for key in body["keys"]]


def _new_user(root: str, api_key: str, email: str) -> str:
    headers = {"Authorization": f"Bearer {api_key}"}
    body = {"email": email, "password": "correct horse battery"}
    created = httpx.post(f"{root}/api/v1/users", json=body, headers=headers, timeout=10)
    created.raise_for_status()
    return str(created.json()["data"]["id"])


def test_a_strict_reader_reads_the_sandbox_keys_and_verifies_a_sandbox_token(vault_sandbox: SandboxHandle) -> None:
    root = vault_sandbox.url.removesuffix("/api/v1")
    user_id = _new_user(root, vault_sandbox.api_key, "strict@example.com")
    keys = {key.kid: key for key in strict_read(httpx.get(f"{root}{JWKS_PATH}", timeout=10).json())}
    assert {key.optional["alg"] for key in keys.values()} == {"RS256", "ES256", "EdDSA"}
    for alg in ("RS256", "ES256", "EdDSA"):
        token = vault_sandbox.mint_token(user_id, alg=alg)
        kid = jwt.get_unverified_header(token)["kid"]
        public = jwt.PyJWK(keys[kid].as_jwk())
        claims = jwt.decode(token, public, algorithms=[alg], options={"verify_aud": False})
        assert claims["sub"] == user_id


def _extra_members(body: Any) -> None:
    for key in body["keys"]:
        key.update({"key_ops": ["verify"], "x5t": "c29tZQ", "ext": True, "vendor:tier": {"a": 1}})


@pytest.fixture
def generous_sandbox() -> Iterator[SandboxHandle]:
    """A Vault sandbox whose JWKS carries extra members, on loopback."""
    app = build_vault_app()
    sock = bind()
    server = BackgroundServer([(rewrite_json(app, _extra_members, JWKS_PATH), sock)])
    server.start()
    handle = VaultHandle(app, url_of(sock), url_of(sock))
    try:
        yield handle
    finally:
        handle.close()
        server.stop()


def test_our_sdk_ignores_members_it_does_not_know(generous_sandbox: SandboxHandle) -> None:
    raw = httpx.get(f"{generous_sandbox.url}{JWKS_PATH}", timeout=10).json()
    assert all("key_ops" in key for key in raw["keys"])
    with pytest.raises(TypeError, match="unexpected keyword"):
        strict_read(raw)  # what the upstream SDK would do with such a JWKS

    user_id = _new_user(generous_sandbox.url, generous_sandbox.api_key, "tolerant@example.com")
    with VaultAuth(api_key=generous_sandbox.api_key, base_url=generous_sandbox.url) as vault:
        assert {key.alg for key in vault.get_jwks().keys} == {"RS256", "ES256", "EdDSA"}
        for alg in ("RS256", "ES256", "EdDSA"):
            assert vault.verify_token(generous_sandbox.mint_token(user_id, alg=alg)).id == user_id


async def test_our_async_sdk_ignores_them_too(generous_sandbox: SandboxHandle) -> None:
    user_id = _new_user(generous_sandbox.url, generous_sandbox.api_key, "tolerant@example.com")
    async with AsyncVaultAuth(api_key=generous_sandbox.api_key, base_url=generous_sandbox.url) as async_vault:
        token = generous_sandbox.mint_token(user_id, alg="ES256")
        assert (await async_vault.verify_token(token)).id == user_id
        assert {key.kty for key in (await async_vault.get_jwks()).keys} == {"RSA", "EC", "OKP"}
