"""The testing page's raw-client example (docs/testing.md) runs as written, with the plugin's own fixtures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

TESTING_PAGE = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def test_the_testing_kit_example_runs(vault_sandbox: Any, vault_http: Any) -> None:
    match = re.search(r"## Examples.*?```python\n(.*?)```", TESTING_PAGE.read_text(encoding="utf-8"), re.S)
    assert match, "docs/testing.md lost its raw-client example"
    namespace: dict[str, Any] = {}
    exec(compile(match.group(1), "docs/testing.md", "exec"), namespace)  # noqa: S102  (our own page)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert len(tests) == 1
    tests[0](vault_sandbox, vault_http)
