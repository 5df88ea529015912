"""Run twilio-python's `RequestValidator` in its own env (.venv-peers, built by `make test`), never in ours."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
PEER_PYTHON = ROOT / ".venv-peers" / "bin" / "python"
# Reads a JSON list of cases on stdin, answers a JSON list: `compute` a signature, `hash` a body, or `validate`.
SCRIPT = r"""
import json, sys
from twilio.request_validator import RequestValidator

class MultiDict(dict):
    def getlist(self, key):
        return self[key]

def params(value):
    if isinstance(value, dict) and any(isinstance(v, list) for v in value.values()):
        return MultiDict({k: v if isinstance(v, list) else [v] for k, v in value.items()})
    return value

out = []
for case in json.load(sys.stdin):
    validator = RequestValidator(case["token"])
    if case["op"] == "compute":
        out.append(validator.compute_signature(case["url"], params(case["params"]), case.get("algorithm")))
    elif case["op"] == "hash":
        out.append(validator.compute_hash(case["body"]))
    else:
        out.append(validator.validate(case["url"], params(case["params"]), case["signature"], case.get("algorithm")))
json.dump(out, sys.stdout)
"""


def peer_python() -> Path:
    """The peers' interpreter; skipped when absent, except under CI=true, where a missing part fails."""
    if not PEER_PYTHON.exists():
        message = f"{PEER_PYTHON} is missing: run `make test` (it builds .venv-peers from requirements-peers.txt)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return PEER_PYTHON


def run(cases: list[dict[str, Any]]) -> list[Any]:
    """The peer's answer to each case, in order (one interpreter for the whole batch)."""
    result = subprocess.run(
        [str(peer_python()), "-c", SCRIPT], input=json.dumps(cases), capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    answer: list[Any] = json.loads(result.stdout)
    return answer
