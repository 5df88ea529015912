"""Flask specifics (reference §6, §8.10): extension registration, app config, start-up checks, JSON refusals."""

from __future__ import annotations

import pytest
from flask import Flask

from sdk_sandbox.pytest_plugin import SandboxHandle
from vault_auth.middleware.flask import VaultAuthMiddleware

from . import flask_apps
from .tokens import Tokens


def test_init_app_registers_the_extension_and_reads_app_config(vault_sandbox: SandboxHandle, tokens: Tokens) -> None:
    extension = VaultAuthMiddleware()
    app = Flask(__name__)
    app.config.update(VAULT_API_KEY=vault_sandbox.api_key, VAULT_BASE_URL=vault_sandbox.url,
                      VAULT_EXCLUDED_PATHS=["/open"])  # fmt: skip
    app.add_url_rule("/open", "open", lambda: "open")
    app.add_url_rule("/closed", "closed", lambda: "closed")
    extension.init_app(app)
    assert app.extensions["vault_auth"] is extension
    client = app.test_client()
    assert client.get("/open").status_code == 200
    assert client.get("/closed").status_code == 401
    assert client.get("/closed", headers={"Authorization": f"Bearer {tokens.member}"}).status_code == 200


def test_bad_exclusion_fails_at_start_up(vault_sandbox: SandboxHandle) -> None:
    with pytest.raises(ValueError, match="excluded path"):
        VaultAuthMiddleware(app=Flask(__name__), api_key=vault_sandbox.api_key, excluded_paths=["/a/../b"])


@pytest.mark.usefixtures("no_configured_credentials")
def test_missing_key_fails_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VAULT_API_KEY", raising=False)
    with pytest.raises(ValueError, match="API key"):
        VaultAuthMiddleware(app=Flask(__name__))


def test_refusals_are_json_without_any_error_handler(vault_sandbox: SandboxHandle) -> None:
    app = flask_apps.build(vault_sandbox.api_key, vault_sandbox.url)
    answer = app.test_client().get("/protected", headers={"Authorization": "Bearer x.y.z"})
    assert answer.status_code == 401 and answer.is_json
    assert answer.get_json() == {"error": "invalid_token", "error_description": "token is invalid"}


def test_unknown_paths_answer_401_before_404(vault_sandbox: SandboxHandle, tokens: Tokens) -> None:
    client = flask_apps.build(vault_sandbox.api_key, vault_sandbox.url).test_client()
    assert client.get("/no-such-page").status_code == 401
    assert client.get("/no-such-page", headers={"Authorization": f"Bearer {tokens.member}"}).status_code == 404
