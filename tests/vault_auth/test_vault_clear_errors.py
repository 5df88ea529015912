"""Errors that explain themselves: field errors in the message, wrong option types named, the missing extra named,
and one log line per JWKS outage that says where and why."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import textwrap
from typing import Any

import httpx
import pytest
from flask import Flask, jsonify

from sdk_sandbox.pytest_plugin import SandboxHandle
from vault_auth import AsyncVaultAuth, VaultAuth
from vault_auth.errors import ConfigurationError, ValidationError
from vault_auth.middleware.flask import VaultAuthMiddleware

KEY = "vault_m2m_0123456789abcdef"


def test_a_validation_errors_text_carries_its_field_errors(vault_sandbox: SandboxHandle) -> None:
    with (
        VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url) as vault,
        pytest.raises(ValidationError) as caught,
    ):
        vault.users.create(email="user@example.com", password="short")
    text = str(caught.value)
    assert "password: must be at least 8 characters" in text
    assert "(status 400)" in text and "short" not in text.replace("password: must", "")


WRONG_TYPES: list[tuple[str, Any]] = [
    ("api_key", 123),
    ("base_url", 8080),
    ("timeout", "30"),
    ("max_retries", "3"),
    ("retry_delay", "1"),
    ("request_id", 7),
    ("jwks_cache_ttl", "3600"),
    ("issuer", 5),
    ("audience", ["a"]),
    ("leeway", "60"),
    ("token_cache_ttl", "60"),
    ("authorized_parties", "app"),
    ("authorized_parties", 5),
    ("max_token_lifetime", "3600"),
    ("http_client", object()),
]


@pytest.mark.parametrize("client", [VaultAuth, AsyncVaultAuth])
@pytest.mark.parametrize(("parameter", "value"), WRONG_TYPES, ids=[f"{p}={v!r}" for p, v in WRONG_TYPES])
def test_every_constructor_parameter_of_the_wrong_type_is_a_configuration_error_naming_it(
    client: type[VaultAuth | AsyncVaultAuth], parameter: str, value: Any
) -> None:
    options: dict[str, Any] = {"api_key": KEY, parameter: value}
    with pytest.raises(ConfigurationError) as caught:
        client(**options)
    assert parameter in str(caught.value)


def test_an_async_client_refuses_a_sync_http_client() -> None:
    with (
        httpx.Client() as sync_http,
        pytest.raises(ConfigurationError, match=r"http_client must be an httpx\.AsyncClient"),
    ):
        AsyncVaultAuth(api_key=KEY, http_client=sync_http)  # type: ignore[arg-type]


HIDE = textwrap.dedent(
    """
    import importlib.abc, sys
    class Hide(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {hidden!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
    sys.meta_path.insert(0, Hide())
    """
)


@pytest.mark.parametrize(
    ("module", "hidden"),
    [("django", {"asgiref", "django", "rest_framework"}), ("flask", {"flask"}), ("fastapi", {"fastapi", "starlette"})],
)
def test_a_missing_framework_names_the_extra_to_install(module: str, hidden: set[str]) -> None:
    script = HIDE.format(hidden=hidden) + f"import vault_auth.middleware.{module}\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("vault_auth.middleware.extras.MissingExtraError: ")
    assert f"pip install 'vault-auth[{module}]'" in last


def test_a_jwks_outage_answers_503_and_logs_the_url_and_cause_once(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as unused:  # a loopback port nothing listens on
        unused.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{unused.getsockname()[1]}"
    app = Flask(__name__)
    VaultAuthMiddleware(app=app, api_key=KEY, base_url=dead_url)

    @app.route("/protected")
    def protected() -> Any:
        return jsonify({"ok": True})

    headers = {"Authorization": "Bearer a.b.c"}
    with caplog.at_level(logging.DEBUG, "vault_auth"):
        statuses = [app.test_client().get("/protected", headers=headers).status_code for _ in range(5)]
    assert statuses == [503] * 5
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings
    assert f"{dead_url}/.well-known/jwks.json" in warnings[0]
    assert "connect" in warnings[0].lower() or "refused" in warnings[0].lower()
    assert KEY not in caplog.text
