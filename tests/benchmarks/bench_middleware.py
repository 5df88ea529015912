"""Requests/s of a hello endpoint behind each Vault integration vs the same app without it (same token repeated).

Measured in-process, through each framework's own entry point (ASGI call, WSGI call), so the figure is the
framework plus the integration and nothing else: no server or client shares the CPU and dilutes the difference.
Rates are per CPU-second of the process, the best of 31 short interleaved rounds each.
The Vault sandbox runs in its own process and serves the JWKS once; every request then verifies the same token.
"""

from __future__ import annotations

import asyncio
import io
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
from harness import Row

ROUNDS = 31
REQUESTS = 400


def start_vault() -> tuple[subprocess.Popen[str], str, str, str]:
    """The Vault sandbox in its own process, a user, and a token minted for it: (process, url, key, token)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sdk_sandbox", "serve", "--api", "vault"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    _, url, _, _, key = process.stdout.readline().split()
    process.stdout.readline()
    headers = {"Authorization": f"Bearer {key}"}
    user = httpx.post(f"{url}/api/v1/users", json={"email": "b@example.com", "password": "12345678"}, headers=headers)
    token = httpx.post(f"{url}/sandbox/tokens", json={"user_id": user.json()["data"]["id"]}).json()["token"]
    return process, url, key, token


def rate(run: Callable[[int], Any]) -> float:
    """Requests per CPU-second of this process for `run(REQUESTS)`.

    CPU time, not wall time: on a shared machine other tenants' load stretches wall time unevenly between rounds,
    while the CPU a request costs is what the integration adds to.
    """
    start = time.process_time()
    run(REQUESTS)
    return REQUESTS / (time.process_time() - start)


def compare(ours: Callable[[int], Any], bare: Callable[[int], Any]) -> tuple[float, float]:
    """Best req/s of both over alternating rounds after a warm-up (timeit's practice: the least-disturbed round
    is the closest to the code's own cost; other tenants of the shared box only ever slow a round down)."""
    ours(200)
    bare(200)
    with_mw, without = [], []
    for _ in range(ROUNDS):
        with_mw.append(rate(ours))
        without.append(rate(bare))
    return max(with_mw), max(without)


def asgi_runner(app: Any, token: str, loop: asyncio.AbstractEventLoop) -> Callable[[int], None]:
    """Send `n` GET /hello requests straight into an ASGI app; check each answered 200."""
    headers = [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())]

    async def one() -> None:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
                 "path": "/hello", "raw_path": b"/hello", "root_path": "", "query_string": b"", "headers": headers,
                 "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}  # fmt: skip
        status = 0
        sent_body = False

        async def receive() -> dict[str, Any]:
            nonlocal sent_body
            if sent_body:  # afterwards the client just stays connected (Django listens for a disconnect)
                await asyncio.Event().wait()
            sent_body = True
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        if status != 200:
            raise RuntimeError(f"hello answered {status}")

    async def many(n: int) -> None:
        for _ in range(n):
            await one()

    return lambda n: loop.run_until_complete(many(n))


def wsgi_runner(app: Any, token: str) -> Callable[[int], None]:
    """Call a WSGI app `n` times with GET /hello; check each answered 200."""
    base = {"REQUEST_METHOD": "GET", "PATH_INFO": "/hello", "SCRIPT_NAME": "", "QUERY_STRING": "",
            "SERVER_NAME": "bench", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
            "HTTP_HOST": "bench", "HTTP_AUTHORIZATION": f"Bearer {token}", "wsgi.errors": sys.stderr,
            "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False}  # fmt: skip

    def many(n: int) -> None:
        for _ in range(n):
            statuses: list[str] = []
            environ = dict(base, **{"wsgi.input": io.BytesIO(b"")})
            body = app(environ, lambda status, headers, exc_info=None, seen=statuses: seen.append(status))
            b"".join(body)
            if not statuses[0].startswith("200"):
                raise RuntimeError(f"hello answered {statuses[0]}")

    return many


def fastapi_apps(url: str, key: str) -> tuple[Any, Any]:
    from fastapi import FastAPI

    from vault_auth.middleware.fastapi import VaultAuthMiddleware

    apps = []
    for protected in (True, False):
        app = FastAPI()
        if protected:
            app.add_middleware(VaultAuthMiddleware, api_key=key, base_url=url)

        @app.get("/hello")
        async def hello() -> dict[str, str]:
            return {"hello": "world"}

        apps.append(app)
    return apps[0], apps[1]


def flask_apps(url: str, key: str) -> tuple[Any, Any]:
    from flask import Flask, jsonify

    from vault_auth.middleware.flask import VaultAuthMiddleware

    apps = []
    for protected in (True, False):
        app = Flask(f"bench{protected}")
        if protected:
            VaultAuthMiddleware(app=app, api_key=key, base_url=url)
        app.add_url_rule("/hello", "hello", lambda: jsonify({"hello": "world"}))
        apps.append(app)
    return apps[0], apps[1]


def django_handlers(url: str, key: str) -> tuple[Any, Any]:
    import django
    from django.conf import settings
    from django.core.handlers.asgi import ASGIHandler
    from django.test import override_settings

    settings.configure(
        DEBUG=False, ALLOWED_HOSTS=["bench"], ROOT_URLCONF="django_hello_urls", MIDDLEWARE=[],
        VAULT_API_KEY=key, VAULT_BASE_URL=url, SECRET_KEY="bench-only",
    )  # fmt: skip
    django.setup()
    with override_settings(MIDDLEWARE=["vault_auth.middleware.django.VaultAuthMiddleware"]):
        protected = ASGIHandler()
    return protected, ASGIHandler()


def run(baseline_python: str, upstream_python: str) -> list[Row]:
    """Three rows: FastAPI, Flask, Django under ASGI, each with the integration vs without."""
    process, url, key, token = start_vault()
    loop = asyncio.new_event_loop()
    try:
        fa_with, fa_without = fastapi_apps(url, key)
        fastapi = compare(asgi_runner(fa_with, token, loop), asgi_runner(fa_without, token, loop))
        fl_with, fl_without = flask_apps(url, key)
        flask = compare(wsgi_runner(fl_with.wsgi_app, token), wsgi_runner(fl_without.wsgi_app, token))
        dj_with, dj_without = django_handlers(url, key)
        django_asgi = compare(asgi_runner(dj_with, token, loop), asgi_runner(dj_without, token, loop))
    finally:
        loop.close()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    rows = []
    for name, (ours, bare) in (("FastAPI", fastapi), ("Flask", flask), ("Django ASGI", django_asgi)):
        rows.append(Row(f"{name} hello behind the Vault integration (req/s)", ours, bare, f"same {name} app without",
                        "req/s", 0.90, lower_is_better=False))  # fmt: skip
    return rows
