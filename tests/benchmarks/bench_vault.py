"""Vault SDK figures against raw PyJWT, raw httpx and `import stripe`, all measured in this one run."""

from __future__ import annotations

import asyncio
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt
from harness import Row, cold_cpu_seconds

from vault_auth import AsyncVaultAuth, VaultAuth

CONCURRENCY = 200
POOL = 100


def per_call(fn: Callable[[], Any], number: int, repeat: int = 5) -> float:
    """Median seconds per call over `repeat` rounds of `number` calls."""
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        rounds.append((time.perf_counter() - start) / number)
    return statistics.median(rounds)


def interleaved(ours: Callable[[], Any], baseline: Callable[[], Any], number: int) -> tuple[float, float]:
    """Both measured in alternating rounds, so machine noise hits them alike."""
    mine, theirs = [], []
    for _ in range(7):
        mine.append(per_call(ours, number, 1))
        theirs.append(per_call(baseline, number, 1))
    return statistics.median(mine), statistics.median(theirs)


async def gather_seconds(make: Callable[[], Any]) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(make() for _ in range(CONCURRENCY)))
    return time.perf_counter() - start


def start_sandbox() -> tuple[subprocess.Popen[str], str, str]:
    """The Vault sandbox in its own process (as a real API is remote): the process, its URL and API key."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sdk_sandbox", "serve", "--api", "vault"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    _, url, _, _, key = process.stdout.readline().split()
    process.stdout.readline()
    return process, url, key


def run(baseline_python: str, upstream_python: str) -> list[Row]:
    """Five rows: local verify, repeated verify_token, users.get sync and concurrent async, cold start."""
    process, url, key = start_sandbox()
    headers = {"Authorization": f"Bearer {key}"}
    try:
        user_id = httpx.post(
            f"{url}/api/v1/users", json={"email": "bench@example.com", "password": "12345678"}, headers=headers
        ).json()["data"]["id"]
        token = httpx.post(f"{url}/sandbox/tokens", json={"user_id": user_id}).json()["token"]
        vault = VaultAuth(api_key=key, base_url=url)
        vault.verify_token(token)
        kid = jwt.get_unverified_header(token)["kid"]
        jwk = next(k for k in vault.get_jwks().keys if k.kid == kid)
        preloaded = jwt.PyJWK(jwk.to_dict())

        def raw_decode() -> Any:
            return jwt.decode(token, preloaded, algorithms=["RS256"], options={"verify_aud": False})

        local, raw = interleaved(lambda: vault.verify_token_locally(token), raw_decode, 300)
        cached = per_call(lambda: vault.verify_token(token), 3000)
        raw_again = per_call(raw_decode, 300)

        raw_http = httpx.Client(headers=headers)
        get_url = f"{url}/api/v1/users/{user_id}"
        ours_get, raw_get = interleaved(lambda: vault.users.get(user_id), lambda: raw_http.get(get_url).json(), 200)

        async def concurrent() -> tuple[float, float, int]:
            limits = httpx.Limits(max_connections=POOL)
            async with (
                AsyncVaultAuth(api_key=key, base_url=url, http_client=httpx.AsyncClient(limits=limits)) as avault,
                httpx.AsyncClient(headers=headers, limits=limits) as raw_async,
            ):
                await avault.users.get(user_id)
                await raw_async.get(get_url)
                ours_s, raw_s = [], []
                for _ in range(9):  # 9 interleaved rounds, best of each: the shared box swings run to run
                    ours_s.append(await gather_seconds(lambda: avault.users.get(user_id)))
                    raw_s.append(await gather_seconds(lambda: raw_async.get(get_url)))
                pool = avault._http.http_client._transport._pool  # type: ignore[attr-defined]
                return min(ours_s), min(raw_s), len(pool.connections)  # best rounds: least disturbed

        ours_conc, raw_conc, connections = asyncio.run(concurrent())
        vault.close()
        raw_http.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    # Both cold starts in the bench env, where our wheels are installed as a user has them.
    cold_ours = cold_cpu_seconds(baseline_python, "from vault_auth import VaultAuth; VaultAuth(api_key='vault_m2m_x')")
    cold_stripe = cold_cpu_seconds(baseline_python, "import stripe")
    return [
        Row("local verify, fresh token (us)", local * 1e6, raw * 1e6, "jwt.decode, key preloaded", "us", 1.1),
        Row(
            "verify_token, repeated token (us)",
            cached * 1e6,
            raw_again * 1e6,
            "jwt.decode, key preloaded",
            "us",
            1 / 20,
        ),
        Row("sync users.get over loopback (ms)", ours_get * 1e3, raw_get * 1e3, "httpx.Client GET", "ms", 1.15),
        Row(
            f"{CONCURRENCY} concurrent async users.get (ms; {connections} conns <= {POOL})",
            ours_conc * 1e3,
            raw_conc * 1e3,
            "httpx.AsyncClient",
            "ms",
            1.2,
        ),
        Row("cold import + VaultAuth(...) (s CPU)", cold_ours, cold_stripe, "import stripe", "s CPU", 1.0),
    ]
