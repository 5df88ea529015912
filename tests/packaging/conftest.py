"""Fixtures of the release-loop tests: scratch clones of the repository and a runner for its release commands.

The release commands change files (versions, changelogs, baselines, `.index/`), so their tests run in a `git clone`
of the repository in a temporary folder, never in the working tree. The clone shares the working tree's `.venv`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RunRelease = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """A fresh clone of the repository's HEAD with the working tree's virtual environment linked in, as it stands
    right after a release: the changelog fragments waiting for the next release are removed (and that committed),
    so each test sees only the fragments it writes."""
    clone = tmp_path / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "config", "user.email", "release-tests@example.invalid"], check=True)
    subprocess.run(["git", "-C", str(clone), "config", "user.name", "Release tests"], check=True)
    (clone / ".venv").symlink_to(Path(sys.prefix))
    with (clone / ".git" / "info" / "exclude").open("a") as exclude:
        exclude.write(".venv\n")  # a symlink, which the `.venv/` pattern of .gitignore does not match
    pending = sorted(str(path.relative_to(clone)) for path in clone.glob("packaging/*/changes/*.md"))
    if pending:
        subprocess.run(["git", "-C", str(clone), "rm", "--quiet", *pending], check=True)
        subprocess.run(["git", "-C", str(clone), "commit", "--quiet", "-m", "Fragments released"], check=True)
    return clone


@pytest.fixture
def run_release() -> RunRelease:
    """Run `python -m release.<module> ARGS` in a repository (as its Make targets do); never raises on failure."""

    def run(repo: Path, module: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, **(env or {}), "PYTHONPATH": str(repo / "packaging")}
        command = [sys.executable, "-m", f"release.{module}", *args]
        return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=environment, timeout=900)

    return run
