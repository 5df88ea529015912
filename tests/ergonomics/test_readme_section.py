"""The documentation's "What every client offers" example (docs/features.md) runs as written, against the
sandboxes, with the clients the page's hidden set-up makes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sdk_sandbox.pytest_plugin import SandboxHandle

FEATURES_PAGE = Path(__file__).resolve().parents[2] / "docs" / "features.md"


def test_the_example_runs(vault_client: Any, loops_sandbox: SandboxHandle) -> None:
    from app_integrations.loops import LoopsClient

    match = re.search(r"# What every client offers.*?```python\n(.*?)```", FEATURES_PAGE.read_text(), re.S)
    assert match, "docs/features.md lost its example of the family's features"
    user = vault_client.users.create(email="ada@example.com", password="secure_password")
    with LoopsClient(api_key=loops_sandbox.api_key, base_url=loops_sandbox.url, debug_mode=False) as loops:
        namespace: dict[str, Any] = {"vault": vault_client, "loops": loops, "user_id": user.id}
        namespace["print"] = lambda *args: None
        exec(compile(match.group(1), "docs/features.md", "exec"), namespace)  # noqa: S102  (our own page)
    assert namespace["user"] == user and namespace["raw"].status_code == 200
    assert namespace["contact"]["success"] is True, namespace["contact"]
