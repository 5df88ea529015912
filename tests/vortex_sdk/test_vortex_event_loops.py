"""One `Vortex` (seed 000's singleton, option D) used from several event loops and by many tasks and threads at once:
every call works against the Vortex sandbox over loopback, and threads never make a second runtime client."""

from __future__ import annotations

import asyncio
import threading

from sdk_sandbox.pytest_plugin import SandboxHandle
from vortex_sdk import Vortex

EMAIL = "loops@example.com"


def test_one_vortex_serves_several_event_loops(vortex_sandbox: SandboxHandle) -> None:
    invitation = vortex_sandbox.create_invitation("email", EMAIL)["id"]
    vortex = Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url, retry_delay=0.01)

    async def handler() -> str:
        return (await vortex.get_invitation(invitation)).id

    assert [asyncio.run(handler()) for _ in range(3)] == [invitation] * 3  # a new loop each time
    assert vortex.get_invitation_sync(invitation).id == invitation  # and the sync twin alongside
    asyncio.run(vortex.close())


def test_concurrent_tasks_on_one_loop(vortex_sandbox: SandboxHandle) -> None:
    ids = [vortex_sandbox.create_invitation("email", f"task{n}@example.com")["id"] for n in range(20)]
    vortex = Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url, retry_delay=0.01)

    async def burst() -> list[str]:
        found = await asyncio.gather(*(vortex.get_invitation(i) for i in ids))
        return [invitation.id for invitation in found]

    assert asyncio.run(burst()) == ids
    assert asyncio.run(burst()) == ids  # and again on a second loop
    asyncio.run(vortex.close())


def test_threads_sharing_one_vortex_share_its_runtime_clients(vortex_sandbox: SandboxHandle) -> None:
    invitation = vortex_sandbox.create_invitation("email", EMAIL)["id"]
    vortex = Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url)
    made_at_construction = (vortex._sync_http, vortex._async_http)
    start = threading.Barrier(8)
    seen: list[tuple[int, int]] = []

    def work() -> None:
        start.wait()
        assert vortex.get_invitation_sync(invitation).id == invitation
        assert asyncio.run(vortex.get_invitation(invitation)).id == invitation  # a loop per thread
        seen.append((id(vortex._sync_http), id(vortex._sync_http.http_client)))

    workers = [threading.Thread(target=work) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(seen) == 8 and len(set(seen)) == 1
    assert (vortex._sync_http, vortex._async_http) == made_at_construction
    vortex.close_sync()
