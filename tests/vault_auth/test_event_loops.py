"""One `AsyncVaultAuth` (the seed's module-level singleton) used from several event loops, one `asyncio.run` after
another, and by many concurrent tasks on one loop: every call works, against the Vault sandbox over loopback."""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from vault_auth import AsyncVaultAuth, VaultAuth


def test_one_async_client_serves_several_event_loops(vault_sandbox: SandboxHandle) -> None:
    vault = AsyncVaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, retry_delay=0.01)

    async def one_request_cycle(n: int) -> tuple[str, str, int]:
        user = await vault.users.create(email=f"loop{n}@example.com", password="secure_password")
        token = vault_sandbox.mint_token(user.id)
        verified = await vault.verify_token(token)
        page = await vault.users.list()
        return user.id, verified.id, page.total

    results = [asyncio.run(one_request_cycle(n)) for n in range(3)]  # a new loop each time, the old one closed
    assert [(created == verified, total) for created, verified, total in results] == [(True, 1), (True, 2), (True, 3)]
    asyncio.run(vault.aclose())


def test_concurrent_tasks_on_one_loop_share_one_client_and_one_key_fetch(vault_sandbox: SandboxHandle) -> None:
    setup = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url)
    users = [setup.users.create(email=f"task{n}@example.com", password="secure_password").id for n in range(10)]
    tokens = [vault_sandbox.mint_token(user_id) for user_id in users]
    vault = AsyncVaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, retry_delay=0.01)

    async def burst() -> list[str]:
        verified = await asyncio.gather(*(vault.verify_token(token) for token in tokens))
        fetched = await asyncio.gather(*(vault.users.get(user_id) for user_id in users))
        assert [u.id for u in fetched] == users
        return [u.id for u in verified]

    for _ in range(3):  # the key lock and the pool are contended on each of three loops
        vault._keys = type(vault._keys)(ttl=vault.jwks_cache_ttl)  # forget the keys: every burst fetches again
        assert asyncio.run(burst()) == users
    asyncio.run(vault.aclose())


def test_a_client_moving_to_a_new_loop_leaves_no_never_awaited_coroutine_behind(vault_sandbox: SandboxHandle) -> None:
    vault = AsyncVaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            assert asyncio.run(vault.health_check()) == {"status": "ok"}
        asyncio.run(vault.aclose())
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize("threads", [8])
def test_threads_sharing_a_sync_client_make_one_pool(vault_sandbox: SandboxHandle, threads: int) -> None:
    vault = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url)
    start = threading.Barrier(threads)
    pools: list[int] = []

    def work() -> None:
        start.wait()
        assert vault.health_check() == {"status": "ok"}
        pools.append(id(vault._http.http_client))

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(pools) == threads and len(set(pools)) == 1
    vault.close()
