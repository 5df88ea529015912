"""The family's configuration rule, for API key and base URL: argument > Django setting > environment > default.

The clients are checked where the rule matters to a user: a client built the seed's way (`VaultAuth()`,
`Vortex(api_key=...)`) with `VAULT_BASE_URL` / `VORTEX_BASE_URL` set must talk to the sandbox those name.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from sdk_runtime import ConfigurationError, resolve_endpoint
from sdk_sandbox.pytest_plugin import SandboxHandle
from vault_auth import AsyncVaultAuth, VaultAuth
from vortex_sdk import Vortex

NAMES = {"api_key_name": "DEMO_API_KEY", "base_url_name": "DEMO_BASE_URL", "default_base_url": "https://prod.test"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DEMO_API_KEY", "DEMO_BASE_URL", "VAULT_API_KEY", "VAULT_BASE_URL", "VORTEX_API_KEY",
                 "VORTEX_BASE_URL"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


def test_argument_then_environment_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    nothing = resolve_endpoint(None, None, **NAMES)
    assert (nothing.api_key, nothing.base_url, nothing.api_key_source) == (None, "https://prod.test", "nowhere")
    monkeypatch.setenv("DEMO_API_KEY", "from-env")
    monkeypatch.setenv("DEMO_BASE_URL", "http://127.0.0.1:9")
    from_env = resolve_endpoint(None, None, **NAMES)
    assert (from_env.api_key, from_env.base_url, from_env.api_key_source) == (
        "from-env",
        "http://127.0.0.1:9",
        "$DEMO_API_KEY",
    )
    given = resolve_endpoint("given", "https://given.test", **NAMES)
    assert (given.api_key, given.base_url, given.api_key_source) == ("given", "https://given.test", "api_key")


def test_a_blank_environment_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_BASE_URL", "  ")
    assert resolve_endpoint(None, None, **NAMES).base_url == "https://prod.test"


@pytest.mark.parametrize(("api_key", "base_url", "named"), [(123, None, "api_key"), (None, 8080, "base_url")])
def test_a_value_of_the_wrong_type_names_its_parameter(api_key: object, base_url: object, named: str) -> None:
    with pytest.raises(ConfigurationError, match=f"^{named} must be a string"):
        resolve_endpoint(api_key, base_url, **NAMES)


def test_django_settings_come_between_the_argument_and_the_environment() -> None:
    script = textwrap.dedent(
        """
        import json, os
        os.environ["VAULT_BASE_URL"] = "http://127.0.0.1:1"
        os.environ["VORTEX_API_KEY"] = "ignored"
        from django.conf import settings
        settings.configure(VAULT_API_KEY="vault_m2m_from_settings", VAULT_BASE_URL="http://127.0.0.1:2",
                           VORTEX_BASE_URL="http://127.0.0.1:3")
        from vault_auth import VaultAuth
        from sdk_runtime import resolve_endpoint
        vault = VaultAuth()
        explicit = VaultAuth(api_key="vault_m2m_argument", base_url="http://127.0.0.1:4")
        vortex = resolve_endpoint(None, None, api_key_name="VORTEX_API_KEY", base_url_name="VORTEX_BASE_URL",
                                  default_base_url="https://prod")
        print(json.dumps([vault._http.config.api_key.reveal(), vault._http.config.base_url,
                          explicit._http.config.api_key.reveal(), explicit._http.config.base_url,
                          vortex.api_key, vortex.base_url]))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        "vault_m2m_from_settings", "http://127.0.0.1:2",  # settings beat the environment
        "vault_m2m_argument", "http://127.0.0.1:4",  # arguments beat settings
        "ignored", "http://127.0.0.1:3",  # no such setting: the environment
    ]  # fmt: skip


def test_the_seeds_client_patterns_reach_the_sandbox_named_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, vault_sandbox: SandboxHandle, vortex_sandbox: SandboxHandle
) -> None:
    monkeypatch.setenv("VAULT_API_KEY", vault_sandbox.api_key)
    monkeypatch.setenv("VAULT_BASE_URL", vault_sandbox.url)
    monkeypatch.setenv("VORTEX_BASE_URL", vortex_sandbox.url)
    invitation = vortex_sandbox.create_invitation("email", "env@example.com")
    with VaultAuth() as vault:
        assert vault.health_check() == {"status": "ok"}
    assert AsyncVaultAuth()._http.config.base_url == vault_sandbox.url
    with Vortex(api_key=vortex_sandbox.api_key) as vortex:  # seed 000's options A-D all pass only the key
        assert vortex.base_url == vortex_sandbox.url
        assert vortex.get_invitation_sync(invitation["id"]).id == invitation["id"]
