"""Loops' official JavaScript SDK (npm `loops` 7.3.0, on the machine's Node) and the Python `loops-sdk` 0.3.3 (in
.venv-peers) making a real app's calls against the Loops sandbox over loopback.

Both send what Loops' SDKs send: `null` for options not given and to reset a property, and loops-js 7's
`/v1/transactional-emails` paths. With CI=true a missing peer fails the test instead of skipping it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
PEER_PYTHON = ROOT / ".venv-peers" / "bin" / "python"
LOOPS_JS = ROOT / ".peers-node" / "node_modules" / "loops" / "dist" / "index.esm.js"
HERE = Path(__file__).parent


def _missing(what: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is missing: `make test` installs it")
    pytest.skip(f"{what} is missing: run `make test` (it installs the test peers)")


@pytest.fixture
def loops_setup(loops_sandbox: Any) -> dict[str, Any]:
    """A published template needing `name` and a mailing list, on the emptied sandbox."""
    loops_sandbox.set_rate_limit(enabled=False)
    template = loops_sandbox.create_template("Welcome", ["name"], subject="Hi {{name}}", body="Hello {{name}}")
    mailing_list = loops_sandbox.create_mailing_list("News")
    return {
        "url": loops_sandbox.url,
        "api_key": loops_sandbox.api_key,
        "template": template["id"],
        "list": mailing_list["id"],
    }


def _run(command: list[str], job: dict[str, Any]) -> dict[str, Any]:
    run = subprocess.run(command, input=json.dumps(job), capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    out: dict[str, Any] = json.loads(run.stdout)
    return out


def test_loops_js_sdk_calls_the_sandbox(loops_sandbox: Any, loops_setup: dict[str, Any]) -> None:
    node = shutil.which("node")
    if node is None or not LOOPS_JS.exists():
        _missing("Node or the npm package `loops` in .peers-node")
    out = _run([str(node), str(HERE / "loops_js_peer.mjs")], {**loops_setup, "module": LOOPS_JS.as_uri()})
    assert out["apiKey"]["success"] is True
    assert out["created"]["success"] is True and out["reset"]["id"] == out["created"]["id"]
    [contact] = out["found"]
    # `null` reset the properties; `mailingLists: null` left the list subscription alone.
    assert contact["firstName"] == "Ada" and contact["lastName"] is None and "plan" not in contact
    assert contact["userGroup"] == "" and contact["mailingLists"] == {loops_setup["list"]: True}
    assert out["event"] == {"success": True}
    listed = out["listed"]
    assert [item["id"] for item in listed["data"]] == [loops_setup["template"]]
    assert listed["pagination"]["perPage"] == 10 and listed["data"][0]["dataVariables"] == ["name"]
    assert out["one"]["id"] == loops_setup["template"] and out["one"]["name"] == "Welcome"
    assert out["missing"]["status"] == 404 and out["missing"]["json"]["success"] is False
    assert out["sent"] == {"success": True}
    assert out["unknownTemplate"]["status"] == 404
    assert [item["id"] for item in out["lists"]] == [loops_setup["list"]]
    assert out["deleted"]["success"] is True
    [email] = loops_sandbox.outbox()
    assert email["email"] == "ada@example.com" and email["subject"] == "Hi Ada"
    [event] = loops_sandbox.events()
    assert event["eventName"] == "signup" and event["eventProperties"] == {"source": "js"}


def test_loops_sdk_python_calls_the_sandbox(loops_sandbox: Any, loops_setup: dict[str, Any]) -> None:
    if not PEER_PYTHON.exists():
        _missing(".venv-peers (loops-sdk)")
    out = _run([str(PEER_PYTHON), str(HERE / "loops_sdk_peer.py")], loops_setup)
    assert out["api_key"]["success"] is True
    # create_contact and send_event send `mailingLists: null` / `eventProperties: null`: accepted as "none".
    for call in ("created", "reset", "subscribed", "event", "sent"):
        assert out[call]["ok"]["success"] is True, (call, out[call])
    [contact] = out["found"]
    assert contact["firstName"] is None and "team" not in contact and contact["userGroup"] == "admirals"
    assert contact["mailingLists"] == {loops_setup["list"]: True}
    assert [item["id"] for item in out["templates"]["data"]] == [loops_setup["template"]]  # the older path
    assert out["bad_null"]["status"] == 400 and "subscribed" in out["bad_null"]["json"]["message"]
    assert out["deleted"]["success"] is True
    [event] = loops_sandbox.events()
    assert event["eventName"] == "login" and event["eventProperties"] == {}
