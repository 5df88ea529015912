"""The Django project template (examples/django_project) is a project people copy: Django's project shape, no test
harness, and a copy of the folder alone (outside the repository) runs `manage.py check` and `migrate`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROJECT = EXAMPLES / "django_project"
HARNESS_MARKS = ("pytester", "mark.guide", "GuideRunner", "integrations.rst", "template_wiring", "from guide ")


def project_files() -> list[Path]:
    """The project's files, caches left out."""
    return [path for path in PROJECT.rglob("*") if path.is_file() and "__pycache__" not in path.parts]


def test_the_project_has_djangos_project_shape() -> None:
    for name in ("manage.py", "README.md", ".env.example", "conftest.py"):
        assert (PROJECT / name).is_file(), name
    for name in ("__init__.py", "urls.py", "asgi.py", "wsgi.py", "settings/__init__.py"):
        assert (PROJECT / "config" / name).is_file(), f"config/{name}"
    assert {path.name for path in (PROJECT / "apps").iterdir() if path.is_dir()} >= {"common", "integration", "public"}


def test_the_project_holds_no_guide_harness() -> None:
    names = {path.name for path in project_files()}
    assert not names & {"guide.py", "integrations.rst", "wiring.py", "demo.py"}
    for path in project_files():
        if path.suffix in (".py", ".ini", ".md"):
            text = path.read_text(encoding="utf-8")
            assert not [mark for mark in HARNESS_MARKS if mark in text], path.relative_to(PROJECT)


def test_a_copy_of_the_folder_alone_checks_and_migrates(tmp_path: Path) -> None:
    copy = tmp_path / "my_site"
    shutil.copytree(PROJECT, copy, ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "LOOPS_", "STRIPE_", "TWILIO_", "AWS_", "REDIS_", "DATABASE_", "PYTHONPATH"))
    }
    env["SQLITE_PATH"] = str(tmp_path / "site.sqlite3")
    for command in (["check"], ["migrate", "--verbosity", "0"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=copy, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "site.sqlite3").stat().st_size > 0
