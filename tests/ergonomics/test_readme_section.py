"""The README's "What every client of the family offers" example runs as written, against the sandboxes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sdk_sandbox.pytest_plugin import SandboxHandle

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_example_runs(vault_client: Any, loops_sandbox: SandboxHandle) -> None:
    from app_integrations.loops import LoopsClient

    match = re.search(r"### What every client of the family offers.*?```python\n(.*?)```", README.read_text(), re.S)
    assert match, "README lost its example of the family's features"
    user = vault_client.users.create(email="ada@example.com", password="secure_password")
    code = match.group(1).replace('"user_123"', repr(user.id))  # the sandbox mints its own IDs
    with LoopsClient(api_key=loops_sandbox.api_key, base_url=loops_sandbox.url, debug_mode=False) as loops:
        namespace: dict[str, Any] = {"vault": vault_client, "loops": loops, "print": lambda *args: None}
        exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102  (our own README)
    assert namespace["user"] == user and namespace["raw"].status_code == 200
    assert namespace["contact"]["success"] is True, namespace["contact"]
