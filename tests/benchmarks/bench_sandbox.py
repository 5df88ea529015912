"""Requests/s of one sandbox GET over loopback, against the same uvicorn serving a constant JSON (information only)."""

from __future__ import annotations

import time
from typing import Any

import httpx
from harness import Row

from sdk_sandbox.runner import BackgroundServer, bind, url_of
from sdk_sandbox.vault import build_vault_app

SECONDS = 3.0


async def constant_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The floor: an ASGI app that answers every request with a fixed small JSON."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"data": {"id": "user_1"}}'})


def requests_per_second(url: str, headers: dict[str, str]) -> float:
    """Sequential keep-alive GETs for a few seconds."""
    with httpx.Client(headers=headers) as client:
        client.get(url).raise_for_status()
        count, deadline = 0, time.perf_counter() + SECONDS
        started = time.perf_counter()
        while time.perf_counter() < deadline:
            client.get(url)
            count += 1
        return count / (time.perf_counter() - started)


def run(baseline_python: str, upstream_python: str) -> list[Row]:
    """One row: GET /api/v1/users/{id} on the Vault sandbox vs the constant app."""
    sandbox, floor = build_vault_app(), constant_app
    sockets = (bind(), bind())
    server = BackgroundServer([(sandbox, sockets[0]), (floor, sockets[1])])
    server.start()
    try:
        key = next(iter(sandbox.api_keys))
        auth = {"Authorization": f"Bearer {key}"}
        created = httpx.post(
            f"{url_of(sockets[0])}/api/v1/users", json={"email": "b@example.com", "password": "12345678"}, headers=auth
        ).json()["data"]["id"]
        ours = requests_per_second(f"{url_of(sockets[0])}/api/v1/users/{created}", auth)
        baseline = requests_per_second(f"{url_of(sockets[1])}/api/v1/users/{created}", {})
    finally:
        server.stop()
    return [
        Row("sandbox GET users/{id} (req/s)", ours, baseline, "uvicorn constant JSON", "req/s", None, False),
    ]
