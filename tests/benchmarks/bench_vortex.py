"""Vortex SDK figures against the published vortex-python-sdk 0.19.0 and raw httpx, measured in this one run.

The published SDK installs the same module name (`vortex_sdk`), so it lives alone in its own env (`.venv-upstream`,
passed as `--upstream-python`); ours runs from the bench env where our wheels are installed.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
from harness import Row, cold_cpu_seconds

from vortex_sdk import Vortex

CONCURRENCY = 200
POOL = 100
KEY = "VRTX.AAAAAAAAAAAAAAAAAAAAAA.bench_secret_key"
# Seconds per generate_jwt call, printed by a fresh interpreter (ours or the published SDK, same statement).
JWT_LOOP = f"""
import time
from vortex_sdk import Vortex
vortex = Vortex(api_key={KEY!r})
user = {{"id": "user-123", "email": "user@example.com", "admin_scopes": ["autojoin"]}}
for _ in range(500):
    vortex.generate_jwt(user=user, componentId="c1")
best = None
for _ in range(5):
    start = time.perf_counter()
    for _ in range(4000):
        vortex.generate_jwt(user=user, componentId="c1")
    took = (time.perf_counter() - start) / 4000
    best = took if best is None else min(best, took)
print(best)
"""


def jwt_seconds(python: str) -> float:
    out = subprocess.run([python, "-c", JWT_LOOP], capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def start_sandbox() -> tuple[subprocess.Popen[str], str, str]:
    """The Vortex sandbox in its own process (as the real API is remote): the process, its URL and API key."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sdk_sandbox", "serve", "--api", "vortex"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    fields = process.stdout.readline().split()
    process.stdout.readline()
    return process, fields[1], fields[-1]


async def gather_seconds(make: Callable[[], Any]) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(make() for _ in range(CONCURRENCY)))
    return time.perf_counter() - start


async def concurrent_get(url: str, key: str, invitation_id: str) -> tuple[float, float]:
    limits = httpx.Limits(max_connections=POOL)
    get_url = f"{url}/invitations/{invitation_id}"
    async with (
        Vortex(api_key=key, base_url=url, async_http_client=httpx.AsyncClient(limits=limits)) as vortex,
        httpx.AsyncClient(headers={"x-api-key": key}, limits=limits) as raw,
    ):
        await vortex.get_invitation(invitation_id)
        await raw.get(get_url)
        ours, theirs = [], []
        for _ in range(9):  # interleaved rounds; the best of each is kept
            ours.append(await gather_seconds(lambda: vortex.get_invitation(invitation_id)))
            theirs.append(await gather_seconds(lambda: raw.get(get_url)))
    return min(ours), min(theirs)  # best rounds: the least disturbed by other tenants


def run(baseline_python: str, upstream_python: str) -> list[Row]:
    """Three rows: generate_jwt throughput, cold import + Vortex(...), 200 concurrent get_invitation."""
    ours_jwt, theirs_jwt = [], []
    for _ in range(5):  # alternate the two interpreters; the best of each is its least-disturbed run
        ours_jwt.append(jwt_seconds(baseline_python))
        theirs_jwt.append(jwt_seconds(upstream_python))
    construct = f"from vortex_sdk import Vortex; Vortex(api_key={KEY!r})"
    cold_ours = cold_cpu_seconds(baseline_python, construct)
    cold_theirs = cold_cpu_seconds(upstream_python, construct)
    process, url, key = start_sandbox()
    try:
        root = url.removesuffix("/api/v1")
        invitation = httpx.post(
            f"{root}/sandbox/invitations",
            json={
                "target": {"type": "email", "value": "bench@example.com"},
                "groups": [{"type": "team", "groupId": "t1"}],
            },
        ).json()
        ours_conc, raw_conc = asyncio.run(concurrent_get(url, key, invitation["id"]))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    return [
        Row(
            "generate_jwt (ops/s)",
            1 / min(ours_jwt),
            1 / min(theirs_jwt),
            "vortex-python-sdk 0.19.0",
            "ops/s",
            1.0,
            lower_is_better=False,
        ),
        Row("cold import + Vortex(...) (s CPU)", cold_ours, cold_theirs, "vortex-python-sdk 0.19.0", "s CPU", 1.0),
        Row(
            f"{CONCURRENCY} concurrent async get_invitation (ms)",
            ours_conc * 1e3,
            raw_conc * 1e3,
            "httpx.AsyncClient",
            "ms",
            1.2,
        ),
    ]
