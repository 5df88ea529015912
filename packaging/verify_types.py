"""`pyright --verifytypes` on the public API of every distribution: each must reach 100% type completeness.

What an editor (Pylance, pyright) knows of a user's calls depends on how completely the public API is typed; mypy
--strict checks our own code, this checks what users see. Each package is verified from `src/` (pyright does not
follow editable installs, hence PYTHONPATH), against this environment's packages: the frameworks the integrations
and middleware build on are known through their stubs (django-stubs, djangorestframework-stubs, boto3-stubs, pinned
in requirements-dev.txt).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {
    "sdk_runtime": 100.0,
    "vortex_sdk": 100.0,
    "vault_auth": 100.0,
    "app_integrations": 100.0,
    "sdk_sandbox": 100.0,
}


def score(package: str) -> tuple[float, str]:
    """The completeness score pyright reports for `package`, and its report."""
    pyright = Path(sys.executable).with_name("pyright")
    # `--verifytypes` ignores `--pythonpath` and asks the first `python` on PATH for its import paths: that must be
    # this environment's, or the frameworks' stubs installed here (django-stubs, ...) go unseen.
    path = f"{pyright.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "PATH": path, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT / 'generated'}"}
    command = [str(pyright), "--verifytypes", package, "--ignoreexternal", "--pythonpath", sys.executable]
    report = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT).stdout
    found = re.search(r"Type completeness score: ([\d.]+)%", report)
    if found is None:
        raise SystemExit(f"pyright printed no completeness score for {package}:\n{report}")
    return float(found.group(1)), report


def main() -> int:
    """Verify every package; print each score and the report of any package below its requirement."""
    failed = False
    for package, required in REQUIRED.items():
        reached, report = score(package)
        verdict = "ok" if reached >= required else "BELOW"
        print(f"{package}: {reached:.1f}% type completeness (required {required:.1f}%) {verdict}")
        if reached < required:
            failed = True
            print(report)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
