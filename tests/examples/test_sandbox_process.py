"""`python examples/sandbox.py` starts, prints the Django template's URL, the template answers, and SIGTERM ends it
with status 0 and no process of its own left behind (its private redis-server included)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx

from .sandbox_process import SandboxProcess


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sandbox_serves_the_template_and_stops_on_sigterm_leaving_no_children(tmp_path: Path) -> None:
    sandbox = SandboxProcess(tmp_path)
    try:
        template = sandbox.url("Django template")
        assert template.startswith("http://127.0.0.1:")
        for path in ("/login/", "/pricing/", "/verify-phone/", "/upload/"):
            assert f"{template}{path}" in "\n".join(sandbox.lines)
        login = httpx.get(f"{template}/login/", timeout=10)
        assert login.status_code == 200 and 'id="send-link"' in login.text
        assert sandbox.keys["SITE_URL"] == template and sandbox.keys["STRIPE_PRICE_ID"].startswith("price_")
        assert sandbox.template_database.is_file()
        children = sandbox.children()
        if shutil.which("redis-server"):
            assert "template cache  Redis at redis://127.0.0.1:" in sandbox.line("template cache")
            assert children, "the private redis-server should be a child of sandbox.py"
    finally:
        status = sandbox.stop()
    assert status == 0, sandbox.stderr()
    assert [pid for pid in children if alive(pid)] == []
    assert not sandbox.template_database.exists()  # the scratch directory went with it
    assert "Traceback" not in sandbox.stderr()
