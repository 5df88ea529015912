"""The sandbox pytest plugin as a project would use it, in a pytest of its own (a subprocess, in a fresh directory):
sync fixtures for sync tests, async fixtures in pytest-asyncio's default strict mode, and the plugin loading with
the facades (and pytest-asyncio) hidden, when only sdk-sandbox is installed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT_TESTS = textwrap.dedent(
    """
    import asyncio
    import pytest

    def test_sync_vault(vault_client, vault_sandbox):
        user = vault_client.users.create(email="sync@example.com", password="secure_password")
        assert vault_client.verify_token(vault_sandbox.mint_token(user.id)).id == user.id

    def test_sync_vortex(vortex_sync_client, vortex_sandbox):
        invitation = vortex_sandbox.create_invitation("email", "sync@example.com")["id"]
        assert vortex_sync_client.get_invitation_sync(invitation).id == invitation

    def test_seed_style_sync_test_with_the_async_fixture(vortex_client, vortex_sandbox):
        invitation = vortex_sandbox.create_invitation("email", "old@example.com")["id"]
        assert vortex_client.get_invitation_sync(invitation).id == invitation

    @pytest.mark.asyncio
    async def test_async_vault(async_vault_client, vault_sandbox):
        user = await async_vault_client.users.create(email="async@example.com", password="secure_password")
        assert (await async_vault_client.verify_token(vault_sandbox.mint_token(user.id))).id == user.id

    @pytest.mark.asyncio
    async def test_async_vortex(vortex_client, vortex_sandbox):
        invitation = vortex_sandbox.create_invitation("email", "async@example.com")["id"]
        found = await asyncio.gather(*(vortex_client.get_invitation(invitation) for _ in range(5)))
        assert {i.id for i in found} == {invitation}

    @pytest.mark.asyncio
    async def test_async_runtime_client(async_vault_http):
        assert async_vault_http.config.base_url.startswith("http://127.0.0.1:")
    """
)

HIDE = """
import importlib.abc, sys
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Hide())
import pytest
sys.exit(pytest.main(sys.argv[1:]))
"""


def run_pytest(project: Path, *args: str, hidden: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """pytest in `project` (no ini file: pytest-asyncio's defaults, strict mode), with `hidden` packages absent."""
    script = f"HIDDEN = {set(hidden)!r}\n{HIDE}"
    command = [sys.executable, "-c", script, "-p", "no:cacheprovider", "-q", *args]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)


def test_sync_and_async_fixtures_work_in_strict_mode(tmp_path: Path) -> None:
    (tmp_path / "test_project.py").write_text(PROJECT_TESTS)
    done = run_pytest(tmp_path, "-o", "asyncio_mode=strict", "-W", "error::pytest.PytestUnraisableExceptionWarning")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 passed" in done.stdout


def test_the_plugin_loads_without_the_facades_and_offers_only_the_sandbox_fixtures(tmp_path: Path) -> None:
    (tmp_path / "test_sandbox_only.py").write_text(
        "import httpx\n\n"
        "def test_raw(vault_sandbox):\n"
        "    answer = httpx.get(vault_sandbox.url + '/health')\n"
        "    assert answer.json() == {'status': 'ok'}\n"
    )
    hidden = ("vault_auth", "vortex_sdk")
    listed = run_pytest(tmp_path, "--fixtures", hidden=hidden)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "vault_sandbox" in listed.stdout and "vortex_sandbox" in listed.stdout
    assert "vault_client" not in listed.stdout and "vortex_client" not in listed.stdout
    ran = run_pytest(tmp_path, hidden=hidden)
    assert ran.returncode == 0 and "1 passed" in ran.stdout, ran.stdout + ran.stderr


def test_without_pytest_asyncio_sync_fixtures_work_and_async_ones_say_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "test_no_asyncio.py").write_text(
        "def test_sync(vault_client):\n"
        "    assert vault_client.health_check() == {'status': 'ok'}\n\n"
        "def test_async(async_vault_client):\n"
        "    pass\n"
    )
    # --assert=plain: pytest's assertion-rewriting import hook would find plugin packages past the hiding finder.
    done = run_pytest(tmp_path, "-p", "no:asyncio", "--assert=plain", "-rf", hidden=("pytest_asyncio",))
    assert "1 passed, 1 error" in done.stdout, done.stdout + done.stderr
    assert "async_vault_client fixture is async and needs pytest-asyncio" in done.stdout
    assert "pip install 'sdk-sandbox[pytest]'" in done.stdout
