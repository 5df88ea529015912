"""Every entry point of the integrations, built the same way for the shared status-matrix tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle

from .drivers import Driver, django_driver, fastapi_driver, flask_driver


@attrs.frozen
class EntryPoint:
    """How to build one app, and which of its routes are protected by the entry point under test."""

    name: str
    build: Callable[[pytest.FixtureRequest, SandboxHandle], Driver]
    protected: str
    admin: str


def _flask(**options: Any) -> Callable[[pytest.FixtureRequest, SandboxHandle], Driver]:
    def build(request: pytest.FixtureRequest, vault: SandboxHandle) -> Driver:
        from . import flask_apps

        return flask_driver(flask_apps.build(vault.api_key, vault.url, **options))

    return build


def _fastapi(middleware: bool) -> Callable[[pytest.FixtureRequest, SandboxHandle], Driver]:
    def build(request: pytest.FixtureRequest, vault: SandboxHandle) -> Driver:
        from . import fastapi_apps

        if not middleware:
            request.getfixturevalue("fresh_fastapi_default")
        return fastapi_driver(fastapi_apps.build(vault.api_key, vault.url, middleware=middleware))

    return build


def _django(middleware: bool, asynchronous: bool) -> Callable[[pytest.FixtureRequest, SandboxHandle], Driver]:
    def build(request: pytest.FixtureRequest, vault: SandboxHandle) -> Driver:
        request.getfixturevalue("django_settings")(middleware)
        return django_driver(asynchronous)

    return build


ENTRY_POINTS = [
    EntryPoint("flask-middleware", _flask(), "/hello", "/admin-only"),
    EntryPoint("flask-init_app", _flask(factory=True), "/hello", "/admin-only"),
    EntryPoint("flask-require_auth", _flask(middleware=False), "/protected", "/admin-only"),
    EntryPoint("flask-require_auth-async-view", _flask(middleware=False), "/async-protected", "/admin-only"),
    EntryPoint("fastapi-middleware", _fastapi(True), "/hello", "/dep/admin"),
    EntryPoint("fastapi-get_current_user", _fastapi(False), "/dep/user", "/dep/admin"),
    EntryPoint("fastapi-get_current_token_payload", _fastapi(False), "/dep/payload", "/dep/admin"),
    EntryPoint("fastapi-RequireAuth", _fastapi(False), "/dep/require", "/dep/admin"),
    EntryPoint("django-middleware-wsgi", _django(True, False), "/hello", "/admin-only"),
    EntryPoint("django-middleware-asgi", _django(True, True), "/hello", "/async-admin"),
    EntryPoint("django-require_auth", _django(False, False), "/protected", "/admin-only"),
    EntryPoint("django-require_auth-async-view", _django(False, True), "/async-protected", "/async-admin"),
    EntryPoint("drf-VaultAuthentication", _django(False, False), "/drf/hello", "/drf/admin"),
]
