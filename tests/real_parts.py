"""The real parts some tests need (a browser, a server binary): skip when one is missing, fail instead under CI.

`.ci/run` installs them, so with `CI=true` a missing part is a broken machine, not a reason to skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
"""Headless Chromium as root in a container, with nothing reaching the network on its own."""


def require(found: bool, what: str, how: str) -> None:
    """Skip (fail under CI) when a real part the test needs is missing."""
    if not found:
        message = f"{what} is missing: {how}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def find_chromium() -> str:
    """Debian's Chromium binary (never a downloaded browser); skips (fails under CI) when there is none."""
    require(Path(CHROMIUM).is_file() or shutil.which("chromium") is not None, "chromium", "apt-get install chromium")
    return CHROMIUM if Path(CHROMIUM).is_file() else str(shutil.which("chromium"))


def keep_screenshot(shot: Path, name: str) -> None:
    """Copy a browser test's screenshot to `$DOCS_SCREENSHOTS/<name>` when that folder is named: how the pictures in
    docs/images/ are made (`make docs-screenshots`), so each one shows what a passing test saw."""
    folder = os.environ.get("DOCS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(folder) / name)
