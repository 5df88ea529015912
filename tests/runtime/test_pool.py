"""The lazily made HTTP pool, under real use: threads sharing a client, and async clients on several event loops.

Every request goes to the Vault sandbox over a loopback socket; what is checked is the pool each request went
through and that nothing is left open (`ResourceWarning` is an error here).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from sdk_runtime import AsyncAPIClient, ClientClosedError, ClientConfig, SyncAPIClient
from sdk_runtime.call import Call

pytestmark = [pytest.mark.filterwarnings("error::ResourceWarning"), pytest.mark.usefixtures("no_leaks")]

LIST_USERS = Call("GET", "/api/v1/users")


@pytest.fixture
def config(vault_sandbox: Any) -> ClientConfig:
    """A runtime configuration pointed at the emptied Vault sandbox."""
    return ClientConfig.create(
        api_key=vault_sandbox.api_key, api_key_env="VAULT_API_KEY", base_url=vault_sandbox.url,
        sdk_name="pool-tests", sdk_version="0", retry_delay=0.01,
    )  # fmt: skip


def test_threads_sharing_a_client_make_one_pool(config: ClientConfig) -> None:
    client = SyncAPIClient(config)
    start = threading.Barrier(8)
    seen: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            for _ in range(3):
                assert client.request(LIST_USERS).status_code == 200
            seen.append(id(client.http_client))
        except BaseException as exc:  # reported below: an assert in a thread would be lost
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pool = client.http_client
    client.close()
    assert errors == []
    assert set(seen) == {id(pool)}
    assert pool.is_closed


def test_a_copy_shares_the_pool_made_after_it_was_copied(config: ClientConfig) -> None:
    with SyncAPIClient(config) as client:
        copy = client.with_options(max_retries=0)
        copy.request(LIST_USERS)
        assert copy.http_client is client.http_client
        copy.close()
        assert client.request(LIST_USERS).status_code == 200


def test_a_copy_of_a_closed_client_refuses_instead_of_making_a_pool(config: ClientConfig) -> None:
    client = SyncAPIClient(config)
    copy = client.with_options(max_retries=0)
    client.request(LIST_USERS)
    client.close()
    with pytest.raises(ClientClosedError):
        copy.request(LIST_USERS)


# A pool made on a loop that has since closed cannot be closed (its transports need that loop): it is dropped, and
# its sockets are freed when it is collected, which Python reports as a ResourceWarning.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_async_client_survives_a_second_event_loop(config: ClientConfig) -> None:
    client = AsyncAPIClient(config)
    pools: list[Any] = []

    async def one_request(last: bool) -> int:
        response = await client.request(LIST_USERS)
        pools.append(client.http_client)
        if last:
            await client.aclose()
        return response.status_code

    # One asyncio.run per request: each closes its loop, as a test suite with a loop per test does.
    statuses = [asyncio.run(one_request(last=n == 2)) for n in range(3)]
    assert statuses == [200, 200, 200]
    assert len({id(pool) for pool in pools}) == 3  # a fresh pool for each loop
    assert pools[-1].is_closed


def test_concurrent_tasks_on_one_loop_share_one_pool(config: ClientConfig) -> None:
    async def scenario() -> set[int]:
        async with AsyncAPIClient(config) as client:

            async def one() -> int:
                await client.request(LIST_USERS)
                return id(client.http_client)

            return set(await asyncio.gather(*(one() for _ in range(10))))

    assert len(asyncio.run(scenario())) == 1


def test_loops_in_several_threads_each_get_their_own_pool(config: ClientConfig) -> None:
    client = AsyncAPIClient(config)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def in_own_loop() -> None:
        async def go() -> None:
            for _ in range(3):
                statuses.append((await client.request(LIST_USERS)).status_code)
            await client.http_client.aclose()  # each loop closes what it used, while it still runs

        try:
            asyncio.run(go())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=in_own_loop) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses == [200] * 12
