"""Run the Django project template's tests on one database, in the open: the project's own (examples/django_project,
the tests a copy of it keeps) and the integrations guide's blocks run as written against it (examples/django_guide).

Django's settings are process-wide, so these tests cannot share the main suite's process: `make test` (and the
compatibility sessions) run this once per database, each folder's pytest in a process of its own, with pytest's
output shown as it comes:

    python tests/template_suite.py sqlite
    python tests/template_suite.py postgresql   # DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test

Without a reachable PostgreSQL the PostgreSQL run is skipped with a line saying how to get one, except with
`CI=true`, where that is a failure. The exit status is the first failing pytest's, else 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SUITES = {"the project's own tests": EXAMPLES / "django_project", "the guide's blocks": EXAMPLES / "django_guide"}
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
POSTGRES_HINT = "start one (apt-get install postgresql; trust auth for 127.0.0.1; database `test`) or set DATABASE_URL"


def postgres_problem(url: str) -> str | None:
    """Why `url` cannot be used now (None when a connection succeeds)."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        return f"cannot connect to {url.split('@')[-1]}: {str(exc).strip().splitlines()[0]}"
    return None


def main(database: str) -> int:
    """Run both suites on `database` ("sqlite" or "postgresql"); the first failing exit status, else 0 (or skipped)."""
    # Neither DEBUG nor TESTING: under the integrations' rule either would make every unconfigured send a simulated
    # success, and the template's tests check real sends against the sandboxes (those that want debug mode set it).
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "False", "TESTING": "False"}
    for name in ("LOOPS_API_KEY", "LOOPS_BASE_URL", "REDIS_URL"):  # the tests decide what is configured
        env.pop(name, None)
    with tempfile.TemporaryDirectory(prefix="template-suite-") as scratch:
        env["SQLITE_PATH"] = str(Path(scratch) / "template.sqlite3")
        if database == "sqlite":
            env["DATABASE_URL"] = ""
        else:
            url = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES
            if not url.startswith("postgres"):
                url = DEFAULT_POSTGRES
            problem = postgres_problem(url)
            if problem is not None:
                message = f"the Django template's tests on PostgreSQL: {problem}; {POSTGRES_HINT}"
                if os.environ.get("CI", "").lower() == "true":
                    print(f"FAILED {message}", file=sys.stderr)
                    return 1
                print(f"SKIPPED {message}")
                return 0
            env["DATABASE_URL"] = url
        statuses = []
        for name, folder in SUITES.items():
            print(f"== the Django project template, {name} on {database} (examples/{folder.name})", flush=True)
            run = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=folder, env=env, check=False)
            statuses.append(run.returncode)
        return next((status for status in statuses if status != 0), 0)


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("sqlite", "postgresql"):
        raise SystemExit("usage: python tests/template_suite.py sqlite|postgresql")
    raise SystemExit(main(sys.argv[1]))
