"""`make sandbox` keeps its live state under `.sandbox-state/`, which git ignores, and no database is committed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
SANDBOX = REPOSITORY / "examples" / "sandbox.py"


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(REPOSITORY), *args], capture_output=True, text=True, check=False)


def test_the_default_database_is_under_the_state_folder() -> None:
    wide = {**os.environ, "COLUMNS": "200"}  # argparse wraps help at the terminal's width
    shown = subprocess.run(
        [sys.executable, str(SANDBOX), "--help"], capture_output=True, text=True, timeout=120, env=wide
    )
    assert shown.returncode == 0, shown.stderr
    assert ".sandbox-state/example.db" in shown.stdout


@pytest.mark.skipif(shutil.which("git") is None or not (REPOSITORY / ".git").exists(), reason="not a git checkout")
def test_the_state_folder_is_ignored_and_no_database_is_committed() -> None:
    assert git("check-ignore", "-q", ".sandbox-state/example.db").returncode == 0
    committed = git("ls-files", "--", "*.db", "*.sqlite", "*.sqlite3").stdout.split()
    assert committed == []
