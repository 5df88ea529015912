"""Ending a session or a user reaches the verified-token cache: at once on the client that ended it, within
`token_cache_ttl` elsewhere, never with `token_cache_ttl=0` or `verify_token(..., use_cache=False)`.

Everything runs against the Vault sandbox over loopback; the cache is observed only through `verify_token`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from vault_auth import AsyncVaultAuth, VaultAuth
from vault_auth.errors import InvalidTokenError


@pytest.fixture
def vault(vault_sandbox: SandboxHandle) -> Iterator[VaultAuth]:
    with VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, retry_delay=0.01) as client:
        yield client


def make_user(vault: VaultAuth, email: str = "revoked@example.com") -> str:
    return vault.users.create(email=email, password="secure_password").id


def session_of(vault: VaultAuth, user_id: str) -> str:
    return vault.users.get_sessions(user_id)[-1].id


ENDINGS: dict[str, Callable[[VaultAuth, str, str], Any]] = {
    "sessions.revoke": lambda v, user_id, session_id: v.sessions.revoke(session_id),
    "sessions.revoke_all_user_sessions": lambda v, user_id, session_id: v.sessions.revoke_all_user_sessions(user_id),
    "users.delete": lambda v, user_id, session_id: v.users.delete(user_id),
}


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_ending_a_session_or_user_refuses_its_cached_token_on_the_same_client(
    vault: VaultAuth, vault_sandbox: SandboxHandle, ending: str
) -> None:
    user_id = make_user(vault)
    token = vault_sandbox.mint_token(user_id)
    assert vault.verify_token(token).id == user_id  # confirmed and cached for 60 s
    ENDINGS[ending](vault, user_id, session_of(vault, user_id))
    with pytest.raises(InvalidTokenError):
        vault.verify_token(token)


def test_revoking_one_session_keeps_the_users_other_sessions_cached(
    vault: VaultAuth, vault_sandbox: SandboxHandle
) -> None:
    user_id = make_user(vault)
    first = vault_sandbox.mint_token(user_id)
    first_session = session_of(vault, user_id)
    second = vault_sandbox.mint_token(user_id)
    assert vault.verify_token(first).id == vault.verify_token(second).id == user_id
    vault.sessions.revoke(first_session)
    with pytest.raises(InvalidTokenError):
        vault.verify_token(first)
    assert vault.verify_token(second).id == user_id


def test_a_password_change_makes_the_client_ask_vault_again(vault: VaultAuth, vault_sandbox: SandboxHandle) -> None:
    user_id = make_user(vault)
    token = vault_sandbox.mint_token(user_id)
    vault.verify_token(token)
    vault.users.update_password(user_id, "another_secure_password")
    # The sandbox keeps sessions across a password change; what matters is that the cached answer was dropped,
    # which a revocation made behind the client's back now shows.
    vault_sandbox.control("POST", "/sandbox/reset")
    with pytest.raises(InvalidTokenError):
        vault.verify_token(token)


def test_async_revoke_then_verify_on_the_same_client_is_refused(vault_sandbox: SandboxHandle) -> None:
    async def scenario() -> None:
        async with AsyncVaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url) as vault:
            user = await vault.users.create(email="async-revoked@example.com", password="secure_password")
            token = vault_sandbox.mint_token(user.id)
            session = vault_sandbox.mint_token(user.id)  # a second session that stays valid
            assert (await vault.verify_token(token)).id == user.id
            assert (await vault.verify_token(session)).id == user.id
            sessions = await vault.users.get_sessions(user.id)
            await vault.sessions.revoke(sessions[0].id)
            with pytest.raises(InvalidTokenError):
                await vault.verify_token(token)
            await vault.sessions.revoke_all_user_sessions(user.id)
            with pytest.raises(InvalidTokenError):
                await vault.verify_token(session)
            other = await vault.users.create(email="async-deleted@example.com", password="secure_password")
            token = vault_sandbox.mint_token(other.id)
            await vault.verify_token(token)
            await vault.users.delete(other.id)
            with pytest.raises(InvalidTokenError):
                await vault.verify_token(token)

    asyncio.run(scenario())


def test_a_revocation_made_elsewhere_is_refused_once_token_cache_ttl_has_passed(
    vault: VaultAuth, vault_sandbox: SandboxHandle
) -> None:
    ttl = 0.2
    user_id = make_user(vault)
    token = vault_sandbox.mint_token(user_id)
    with VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, token_cache_ttl=ttl) as elsewhere:
        assert elsewhere.verify_token(token).id == user_id
        vault.sessions.revoke(session_of(vault, user_id))
        time.sleep(ttl * 1.5)  # the documented bound, passed
        with pytest.raises(InvalidTokenError):
            elsewhere.verify_token(token)


def test_zero_token_cache_ttl_and_use_cache_false_always_ask_vault(
    vault: VaultAuth, vault_sandbox: SandboxHandle
) -> None:
    user_id = make_user(vault)
    token = vault_sandbox.mint_token(user_id)
    with VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, token_cache_ttl=0) as uncached:
        assert uncached.verify_token(token).id == user_id
        assert vault.verify_token(token).id == user_id  # cached by the other client
        vault_sandbox.control("POST", "/sandbox/reset")  # the session and user vanish behind both clients' backs
        with pytest.raises(InvalidTokenError):
            uncached.verify_token(token)
        assert vault.verify_token(token).id == user_id  # within the documented bound, the cache answers...
        with pytest.raises(InvalidTokenError):
            vault.verify_token(token, use_cache=False)  # ...unless the call asks Vault itself
