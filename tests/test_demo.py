"""`make demo` (examples/demo.py) runs to the end against the embedded sandboxes and says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo.py"


def test_the_demo_walks_the_flow_and_exits_0() -> None:
    result = subprocess.run([sys.executable, str(DEMO)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in ("vault.users.create", "vault.verify_token", "Acme Corp - admin", "InvalidTokenError",
                     "NotFoundError: user user_missing", "the demo passed"):  # fmt: skip
        assert expected in out, expected
    assert "Traceback" not in result.stderr
