"""Seed 002's Django project template (`examples/django_project`) passes its own tests, in a process of its own
(Django's settings are process-wide): on SQLite always, and on PostgreSQL where `DATABASE_URL` is set (CI sets it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2] / "examples" / "django_project"
DATABASE_URL = os.environ.get("DATABASE_URL", "")


def run_template_tests(tmp_path: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings",
        "DATABASE_URL": database_url,
        "SQLITE_PATH": str(tmp_path / "template.sqlite3"),
        "DEBUG": "False",
        "TESTING": "True",
    }
    for name in ("LOOPS_API_KEY", "LOOPS_BASE_URL", "REDIS_URL"):  # the tests decide what is configured
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600
    )


def test_the_template_passes_its_tests_on_sqlite(tmp_path: Path) -> None:
    result = run_template_tests(tmp_path, "")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout


@pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres") and os.environ.get("CI") != "true",
    reason="set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run the template on PostgreSQL",
)
def test_the_template_passes_its_tests_on_postgresql(tmp_path: Path) -> None:
    assert DATABASE_URL.startswith("postgres"), "CI must set DATABASE_URL to the machine's PostgreSQL"
    result = run_template_tests(tmp_path, DATABASE_URL)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
