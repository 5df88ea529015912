"""Fixtures of the release-loop tests: scratch clones of the repository and a runner for its release commands.

The release commands change files (versions, changelogs, baselines, `.index/`), so their tests run in a `git clone`
of the repository in a temporary folder, never in the working tree. The clone shares the working tree's `.venv`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from release.changes import Level  # packaging/release: on the path by pytest's `pythonpath`
from release.semver import Version

ROOT = Path(__file__).resolve().parents[2]
RunRelease = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """A fresh clone of the repository's HEAD with the working tree's virtual environment linked in, as it stands
    right after a release: the release the tree has pending (its version bumps and changelog fragments) is made with
    `make release ARGS=--yes` and committed, so each test starts with no change and sees only the fragments it
    writes."""
    clone = tmp_path / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "config", "user.email", "release-tests@example.invalid"], check=True)
    subprocess.run(["git", "-C", str(clone), "config", "user.name", "Release tests"], check=True)
    (clone / ".venv").symlink_to(Path(sys.prefix))
    with (clone / ".git" / "info" / "exclude").open("a") as exclude:
        exclude.write(".venv\n")  # a symlink, which the `.venv/` pattern of .gitignore does not match
    environment = {**os.environ, "PYTHONPATH": str(clone / "packaging")}
    release = [sys.executable, "-m", "release.prepare", "--yes"]
    made = subprocess.run(release, cwd=clone, capture_output=True, text=True, env=environment)
    assert made.returncode == 0, made.stdout + made.stderr
    subprocess.run(["git", "-C", str(clone), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(clone), "commit", "--quiet", "--allow-empty", "-m", "Release"], check=True)
    return clone


@attrs.frozen
class Released:
    """The versions a scratch clone starts from (its last release), with the bumps the tests need."""

    vault: Version
    runtime: Version
    sandbox: Version
    integrations: Version
    vortex: Version

    @property
    def vault_fix(self) -> Version:
        """vault-auth's next patch version."""
        return self.vault.bumped(Level.INTERNAL)

    @property
    def vault_minor(self) -> Version:
        """vault-auth's next minor version."""
        return self.vault.bumped(Level.ADDITIVE)

    @property
    def vault_major(self) -> Version:
        """vault-auth's next major version."""
        return self.vault.bumped(Level.BREAKING)


@pytest.fixture
def released(scratch_repo: Path) -> Released:
    """The versions of the scratch clone's last release."""

    def version(package: str) -> Version:
        text = (scratch_repo / "src" / package / "_version.py").read_text()
        return Version.parse(re.search(r'__version__ = "([^"]+)"', text)[1])  # type: ignore[index]

    return Released(
        vault=version("vault_auth"),
        runtime=version("sdk_runtime"),
        sandbox=version("sdk_sandbox"),
        integrations=version("app_integrations"),
        vortex=version("vortex_sdk"),
    )


@pytest.fixture
def run_release() -> RunRelease:
    """Run `python -m release.<module> ARGS` in a repository (as its Make targets do); never raises on failure."""

    def run(repo: Path, module: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, **(env or {}), "PYTHONPATH": str(repo / "packaging")}
        command = [sys.executable, "-m", f"release.{module}", *args]
        return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=environment, timeout=900)

    return run
