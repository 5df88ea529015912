"""End-to-end under real servers on loopback, with tokens minted by the Vault sandbox, and the exclusion bypass list
of reference/framework-middleware.md §4/§8.3 sent as raw bytes (no client normalisation)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle

from .servers import raw_get, uvicorn_server, waitress_server
from .tokens import Tokens

# Each must reach authentication (401 without a token), never an exempt handler.
NOT_EXEMPT = [
    "/healthz", "/publicity", "/health/../admin", "/health/%2e%2e/admin", "/health%2F..%2Fadmin", "/health/",
    "/public/../admin", "/public/..%2fadmin", "/%61dmin", "/admin?next=/health", "//admin", "/hello",
    "/public..", "/public..%2fadmin", "/publicity/info", "/public%2F..%2Fadmin", "/public/./info", "/public//info",
]  # fmt: skip
EXEMPT = ["/health", "/public/info", "/public/docs", "/public/a/b"]


def _flask(vault: SandboxHandle, request: pytest.FixtureRequest) -> AbstractContextManager[int]:
    from . import flask_apps

    return waitress_server(flask_apps.build(vault.api_key, vault.url))


def _fastapi(vault: SandboxHandle, request: pytest.FixtureRequest) -> AbstractContextManager[int]:
    from . import fastapi_apps

    return uvicorn_server(fastapi_apps.build(vault.api_key, vault.url))


def _django_wsgi(vault: SandboxHandle, request: pytest.FixtureRequest) -> AbstractContextManager[int]:
    from django.core.wsgi import get_wsgi_application

    request.getfixturevalue("django_settings")(True)
    return waitress_server(get_wsgi_application())


def _django_asgi(vault: SandboxHandle, request: pytest.FixtureRequest) -> AbstractContextManager[int]:
    from django.core.asgi import get_asgi_application

    request.getfixturevalue("django_settings")(True)
    return uvicorn_server(get_asgi_application(), lifespan="off")


SERVERS: dict[str, Callable[[SandboxHandle, pytest.FixtureRequest], AbstractContextManager[int]]] = {
    "flask-waitress": _flask,
    "fastapi-uvicorn": _fastapi,
    "django-wsgi-waitress": _django_wsgi,
    "django-asgi-uvicorn": _django_asgi,
}


@pytest.fixture(params=sorted(SERVERS))
def port(request: pytest.FixtureRequest, vault_sandbox: SandboxHandle) -> Iterator[int]:
    with SERVERS[request.param](vault_sandbox, request) as bound:
        yield bound


def test_real_server_end_to_end(port: int, tokens: Tokens) -> None:
    status, _, body = raw_get(port, "/hello", [("Authorization", f"Bearer {tokens.admin}")])
    assert (status, tokens.admin_email.encode() in body) == (200, True)
    status, headers, body = raw_get(port, "/hello")
    assert status == 401 and headers["WWW-Authenticate"] == 'Bearer realm="vault"'
    assert b"missing_token" in body
    status, headers, _ = raw_get(port, "/hello", [("Authorization", f"Bearer {tokens.expired}")])
    assert status == 401 and 'error="invalid_token"' in headers["WWW-Authenticate"]
    two = [("Authorization", f"Bearer {tokens.admin}"), ("Authorization", f"Bearer {tokens.member}")]
    assert raw_get(port, "/hello", two)[0] == 400  # two fields (ASGI) or one comma-joined (WSGI servers)


@pytest.mark.parametrize("path", NOT_EXEMPT)
def test_bypass_attempts_reach_authentication(port: int, path: str) -> None:
    status, _, _ = raw_get(port, path)
    assert status in (401, 400), f"{path} answered {status} without a token"


@pytest.mark.parametrize("path", EXEMPT)
def test_excluded_paths_are_served_without_a_token(port: int, path: str) -> None:
    assert raw_get(port, path)[0] == 200


def test_cors_preflight_passes_but_plain_options_and_head_are_authenticated(port: int) -> None:
    preflight = [("Origin", "https://app.example"), ("Access-Control-Request-Method", "GET")]
    assert raw_get(port, "/hello", preflight, method="OPTIONS")[0] != 401
    assert raw_get(port, "/hello", method="OPTIONS")[0] == 401
    assert raw_get(port, "/hello", method="HEAD")[0] == 401
